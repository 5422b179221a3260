/**
 * Scale-out: the app with REDIS_URL sends runs to a BullMQ queue on the
 * machine's Redis; a separate `npm run worker` process executes them and
 * streams the output back. Each test run uses its own key prefix.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchema, type Run } from '../../src/lib/contracts/runs';
import { expectApiError } from '../helpers/api';
import { startApp, type TestApp } from '../helpers/app';
import { childEnv, REPO_ROOT, spawnNode, withTimeout, type Spawned } from '../helpers/processes';
import { seed } from '../helpers/seed';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `tandem-test-${randomBytes(4).toString('hex')}`;

let app: TestApp;
let worker: Spawned;
let token: string;

async function startWorker(): Promise<Spawned> {
  const run = spawnNode(
    ['--import', 'tsx', 'sandbox/worker-main.ts'],
    childEnv({
      REDIS_URL,
      REDIS_PREFIX: prefix,
      SANDBOX_SLOTS: '2',
      // Its own uid range: the app's in-process pool is not used here, but stay apart anyway.
      SANDBOX_UID_BASE: '61001',
      LOG_LEVEL: 'warn'
    }),
    REPO_ROOT
  );
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (run.stdout().includes('Tandem worker ready')) resolve();
      };
      run.child.stdout?.on('data', check);
      check();
      void run.exited.then(() => reject(new Error(`worker exited: ${run.stderr()}`)));
    }),
    30_000,
    () => `worker did not start: ${run.stderr()}`
  );
  return run;
}

beforeAll(async () => {
  app = await startApp({
    env: { REDIS_URL, REDIS_PREFIX: prefix, RUN_QUEUE_TIMEOUT_MS: '3000' }
  });
  token = await seed(app.databaseUrl!, async (s) => {
    const org = await s.org('Scale-out');
    return (await s.actor({ organizationId: org.id, email: 'admin@scale.test', role: 'admin' }))
      .token;
  });
});

afterAll(async () => {
  worker?.child.kill('SIGTERM');
  if (worker) await worker.exited;
  await app?.stop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('runs through Redis and a worker process', () => {
  it('answers 503 runner_unavailable when no worker picks a run up', async () => {
    const response = await app.api(token).post('/runs', {
      language: 'python',
      files: { 'main.py': 'print(1)\n' }
    });
    expectApiError(response, 503, 'runner_unavailable');
  });

  it('executes on the worker and streams output back to the app', async () => {
    worker = await startWorker();
    const response = await fetch(new URL('/api/v1/runs', app.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/x-ndjson'
      },
      body: JSON.stringify({
        language: 'python',
        files: {
          'main.py':
            'import os, sys\nprint("from", "worker")\nprint(sys.stdin.read().upper(), end="")\n'
        },
        stdin: 'streamed\n'
      })
    });
    const events = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data?: string; run?: Run });
    const output = events
      .filter((e) => e.type === 'output')
      .map((e) => e.data)
      .join('');
    expect(output).toBe('from worker\nSTREAMED\n');
    const result = events.at(-1);
    expect(result?.type).toBe('result');
    const run = runSchema.parse(result?.run);
    expect(run.status).toBe('ok');

    const stored = await app.api(token).get(`/runs/${run.id}`);
    expect(runSchema.parse(stored.body).stdout).toBe('from worker\nSTREAMED\n');
  });

  it('refuses bad requests with the same codes as in-process', async () => {
    const response = await app.api(token).post('/runs', {
      language: 'python',
      files: { 'main.py': 'print(1)' },
      limits: { wallMs: 10_000_000 }
    });
    expectApiError(response, 422, 'limit_exceeded');
    const unknown = await app.api(token).post('/runs', { language: 'cobol', files: { a: 'x' } });
    expectApiError(unknown, 400, 'unknown_language');
  });

  it('reports the worker toolchains as the available languages', async () => {
    const response = await app.api(token).get('/languages');
    const items = (response.body as { items: { id: string; available: boolean }[] }).items;
    expect(items.find((l) => l.id === 'python')?.available).toBe(true);
  });

  it('keeps limits on the worker: a timeout is a result, not an error', async () => {
    const response = await app.api(token).post('/runs', {
      language: 'python',
      files: { 'main.py': 'while True:\n    pass\n' },
      limits: { wallMs: 1000, cpuMs: 1000 }
    });
    expect(response.status).toBe(201);
    expect(runSchema.parse(response.body).status).toBe('timeout');
  });
});
