/** What `npm run bench:collab` needs around its server child: build, start, query, stop. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { root } from './app';
import type { ServerStats } from './collab-server';

/**
 * tandem-memory: the tandem server on the in-memory store, to isolate persistence;
 * tandem-socket: its socket thread with a document worker that keeps nothing.
 */
export type ServerMode = 'tandem' | 'tandem-memory' | 'tandem-socket' | 'relay';

export type ServerChild = {
  port: number;
  stats(): Promise<ServerStats>;
  /** Collects garbage twice (the child runs with --expose-gc), then answers stats. */
  gc(): Promise<ServerStats>;
  /** Waits until every update is in PostgreSQL, then answers stats. */
  flush(): Promise<ServerStats>;
  /** Closes the server (flushing documents) and waits for the process to exit. */
  stop(): Promise<void>;
};

const OUT_DIR = join(root, 'node_modules', '.cache', 'tandem-bench');

/**
 * Compiles collab-server.ts once, as scripts/build-server.mjs does for the app: the child then
 * runs without tsx's loader thread, whose memory would otherwise count as the server's RSS.
 * The output sits under node_modules so its bare imports resolve to the project's packages;
 * splitting keeps the tandem-only modules out of the relay's process.
 */
export async function buildServer(): Promise<string> {
  await build({
    entryPoints: {
      'collab-server': join(root, 'tests', 'bench', 'collab-server.ts'),
      // The tandem modes' document workers, found beside collab-server.mjs.
      'doc-worker': join(root, 'src', 'lib', 'server', 'services', 'doc-worker.ts'),
      'memory-doc-worker': join(root, 'tests', 'bench', 'collab-memory-worker.ts'),
      'socket-doc-worker': join(root, 'tests', 'bench', 'collab-socket-worker.ts')
    },
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning'
  });
  return join(OUT_DIR, 'collab-server.mjs');
}

export type StartOptions = {
  script: string;
  mode: ServerMode;
  databaseUrl?: string;
  secret: string;
  /** Extra node flags, e.g. --expose-gc or --cpu-prof. */
  nodeFlags?: string[];
};

export async function startServer({
  script,
  mode,
  databaseUrl,
  secret,
  nodeFlags = []
}: StartOptions): Promise<ServerChild> {
  const args = [...nodeFlags, script, mode, ...(databaseUrl ? [databaseUrl] : [])];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, BENCH_DOC_SECRET: secret },
    stdio: ['pipe', 'pipe', 'inherit']
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiting: Array<{ resolve(line: string): void; reject(error: Error): void }> = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => waiting.shift()?.resolve(line));
  void exited.then(() => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${mode} server exited`));
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));

  const ask = async (command: string): Promise<ServerStats> => {
    const line = nextLine();
    child.stdin.write(command + '\n');
    return JSON.parse(await line) as ServerStats;
  };

  let port: number;
  try {
    const first = JSON.parse(await nextLine()) as { port?: unknown };
    if (typeof first.port !== 'number') throw new Error(`unexpected first line from ${mode}`);
    port = first.port;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  let stopped: Promise<void> | null = null;
  return {
    port,
    stats: () => ask('stats'),
    gc: () => ask('gc'),
    flush: () => ask('flush'),
    stop() {
      stopped ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.stdin.end();
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      })();
      return stopped;
    }
  };
}
