/**
 * npm run bench:http
 * 1. Requests per second and p50/p99 latency of an authenticated
 *    GET /api/v1/interviews returning 100 rows, under autocannon at 50 connections.
 * 2. Time from `npm start` on an existing DATA_DIR to the first 200 (goal <= 3 s).
 * Uses the default setup: the embedded PostgreSQL under a temporary DATA_DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { benchToken, median, root, stopGroup, waitForListening } from './app';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const START_RUNS = 5;

async function firstOk(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no 200 from ${url} in time`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  // The default setup: no DATABASE_URL, so the embedded PostgreSQL under DATA_DIR.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    DATABASE_URL: ''
  };
  try {
    // Warm-up start: initialises the embedded PostgreSQL and applies migrations.
    const port = 20000 + Math.floor(Math.random() * 20000);
    let app: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
      cwd: root,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true
    });
    await waitForListening(app);
    const token = benchToken(env);
    const base = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${base}/api/v1/interviews`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          kind: i % 2 ? 'live' : 'async',
          title: `Backend engineer interview ${i}`,
          candidate: { name: `Candidate ${i}`, email: `candidate${i}@example.com` }
        })
      });
      if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    }
    const check = await fetch(`${base}/api/v1/interviews?pageSize=100`, { headers });
    const body = (await check.json()) as { items: unknown[] };
    if (body.items.length !== 100) throw new Error(`expected 100 rows, got ${body.items.length}`);

    const result = await autocannon({
      url: `${base}/api/v1/interviews?pageSize=100`,
      connections: 50,
      duration: DURATION_S,
      headers: { authorization: `Bearer ${token}` }
    });
    await stopGroup(app);

    const starts: number[] = [];
    for (let i = 0; i < START_RUNS; i++) {
      const startPort = port + 1 + i;
      const started = Date.now();
      app = spawn('npm', ['start', '--silent'], {
        cwd: root,
        env: { ...env, PORT: String(startPort) },
        stdio: ['ignore', 'ignore', 'inherit'],
        detached: true
      });
      await firstOk(`http://127.0.0.1:${startPort}/healthz`, started + 60_000);
      starts.push(Date.now() - started);
      await stopGroup(app);
    }

    const startMs = median(starts);
    const lines = [
      `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString()}`,
      `GET /api/v1/interviews (100 rows), 50 connections, ${DURATION_S} s:`,
      `  requests/s: ${result.requests.average.toFixed(0)} (errors ${result.errors}, non-2xx ${result.non2xx})`,
      `  latency p50: ${result.latency.p50} ms, p99: ${result.latency.p99} ms`,
      `npm start on an existing DATA_DIR to first 200: median ${startMs} ms of ${START_RUNS} (${starts.join(', ')} ms)`,
      `  goal 3000 ms: ${(startMs / 3000).toFixed(2)}x of the goal (${startMs <= 3000 ? 'met' : 'missed'})`
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
