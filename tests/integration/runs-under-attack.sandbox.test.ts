/**
 * Fifty runs at once, most of them hostile (fork bombs, memory bombs, CPU
 * spins, output floods, sleepers), submitted through the app's API while a
 * probe keeps asking the app for a page. Every run must end with the status
 * its attack earns, honest runs must still succeed, and the app must keep
 * answering throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchema } from '../../src/lib/contracts/runs';
import { startApp, type TestApp } from '../helpers/app';
import { seed } from '../helpers/seed';

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await startApp({ env: { SANDBOX_UID_BASE: '62001' } });
  token = await seed(app.databaseUrl!, async (s) => {
    const org = await s.org('Under attack');
    return (await s.actor({ organizationId: org.id, email: 'admin@attack.test', role: 'admin' }))
      .token;
  });
});

afterAll(async () => {
  await app?.stop();
});

const tight = { wallMs: 2000, cpuMs: 1000, memoryMb: 64, processes: 16, outputBytes: 16384 };

const attacks: { name: string; source: string; expected: string[] }[] = [
  {
    name: 'fork bomb',
    source:
      'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n',
    expected: ['timeout', 'runtime_error']
  },
  {
    name: 'memory bomb',
    source: 'chunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024 * 1024))\n',
    expected: ['memory_limit']
  },
  { name: 'cpu spin', source: 'while True:\n    pass\n', expected: ['timeout'] },
  {
    name: 'output flood',
    source: 'while True:\n    print("x" * 1000)\n',
    expected: ['output_limit']
  },
  { name: 'sleeper', source: 'import time\ntime.sleep(3600)\n', expected: ['timeout'] },
  { name: 'honest', source: 'print(sum(range(1000)))\n', expected: ['ok'] }
];

describe('fifty concurrent runs while attacks run', () => {
  it('contains every attack and keeps the app answering', async () => {
    let probing = true;
    const probeTimes: number[] = [];
    let probeFailures = 0;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        // A liveness bound, not a speed target: an answer that takes 10 s is no answer.
        const response = await fetch(new URL('/healthz', app.url), {
          signal: AbortSignal.timeout(10_000)
        }).catch(() => null);
        if (response?.status === 200) probeTimes.push(performance.now() - started);
        else probeFailures += 1;
        await response?.text();
      }
    })();

    const jobs = Array.from({ length: 50 }, (_, i) => attacks[i % attacks.length]!);
    const results = await Promise.all(
      jobs.map(async (attack) => {
        const response = await app.api(token).post('/runs', {
          language: 'python',
          files: { 'main.py': attack.source },
          limits: tight
        });
        expect(response.status, response.text).toBe(201);
        return { attack, run: runSchema.parse(response.body) };
      })
    );
    probing = false;
    await probe;

    for (const { attack, run } of results) {
      expect(attack.expected, `${attack.name} ended as ${run.status}`).toContain(run.status);
      if (attack.name === 'honest') expect(run.stdout).toBe('499500\n');
    }
    expect(probeFailures).toBe(0);
    expect(probeTimes.length).toBeGreaterThan(10);

    const after = await app.api(token).post('/runs', {
      language: 'python',
      files: { 'main.py': 'print("still fine")\n' }
    });
    expect(runSchema.parse(after.body).stdout).toBe('still fine\n');
  }, 180_000);
});
