/** Child-process plumbing shared by the app and CLI helpers. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };
export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Variables of the app and of adapter-node: a test passes these explicitly or not at all. */
const APP_VARIABLES = [
  'PORT',
  'HOST',
  'ORIGIN',
  'DATA_DIR',
  'DATABASE_URL',
  'REDIS_URL',
  'SESSION_SECRET',
  'LOG_LEVEL',
  'INVITE_TTL_HOURS',
  'LOGIN_MAX_ATTEMPTS',
  'LOGIN_WINDOW_SECONDS',
  'SEED_DEMO',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'OPENAI_MODEL',
  'LIVEKIT_URL',
  'LIVEKIT_API_KEY',
  'LIVEKIT_API_SECRET',
  'LIVEKIT_EGRESS',
  'ICE_SERVERS',
  'VIDEO_TOKEN_TTL_SECONDS',
  'BODY_SIZE_LIMIT',
  'PROTOCOL_HEADER',
  'HOST_HEADER',
  'PORT_HEADER',
  'ADDRESS_HEADER',
  'XFF_DEPTH',
  'SHUTDOWN_TIMEOUT',
  'IDLE_TIMEOUT',
  'NODE_OPTIONS',
  'NODE_ENV',
  'TEST_DATABASE_URL'
];

/**
 * The environment of a child: the runner's own (PATH, HOME, ...) minus
 * anything that configures Tandem or Vitest, plus `overrides`. An override
 * of `undefined` leaves the variable unset.
 */
export function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (APP_VARIABLES.includes(key) || key.startsWith('VITEST') || key.startsWith('VITE_'))
      continue;
    env[key] = value;
  }
  // Children may run from another directory (the build snapshot): keep tsx on the repo's tsconfig.
  env.TSX_TSCONFIG_PATH = `${REPO_ROOT}tsconfig.json`;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Children still running; killed if the test worker exits without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export type Spawned = {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<ExitInfo>;
};

export function spawnNode(args: string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT): Spawned {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close' (not 'exit') so that all output has been read when it resolves.
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Rejects after `ms` with `message()` unless `promise` settles first. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs the admin CLI (`src/lib/server/cli/admin.ts`) to completion. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000
): Promise<CliResult> {
  const run = spawnNode(['--import', 'tsx', 'src/lib/server/cli/admin.ts', ...args], env);
  try {
    const { code } = await withTimeout(
      run.exited,
      timeoutMs,
      () => `admin ${args.join(' ')} did not finish in ${timeoutMs} ms.\n${run.stderr()}`
    );
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  } finally {
    run.child.kill('SIGKILL');
  }
}

/** Processes whose command line mentions `path` (e.g. a postgres started with `-D <path>`). */
export function processesMentioning(path: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.some((arg) => arg === path || arg.startsWith(`${path}/`))) pids.push(Number(entry));
    } catch {
      // The process ended while we were looking.
    }
  }
  return pids;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
