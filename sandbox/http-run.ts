import { open, readlink } from 'node:fs/promises';
import { RUN_DIR } from './bwrap';
import { OutputCoalescer } from './coalesce';
import { HARNESS_SCRIPT } from './http-harness-script';
import {
  HARNESS_CAPS,
  harnessInput,
  httpCaseResult,
  parseHarnessOutput,
  type HarnessOutput
} from './http-results';
import type { HttpCase, HttpTests } from './http-schema';
import type { StepPlan } from './languages/types';
import type { Limits } from './limits';
import type { StartedInfo } from './process';
import { runStep, type StepContext, type StepOutcome } from './step';
import type { HttpCaseError, Logger, RunOptions, ServerRun, TestCaseResult } from './types';

/**
 * HTTP-service tasks. The candidate's program runs as an ordinary run step
 * (its own namespaces: only a loopback device). As soon as bwrap reports the
 * program's pid, a second sandbox — the harness — is started inside that
 * program's network namespace and nothing else of it: own user, pid, mount,
 * ipc and uts namespaces, own cgroup, no view of the candidate's files or
 * processes. When the harness is done, the server is stopped.
 */
const HARNESS_PATH = `${RUN_DIR}/harness.py`;

// Not request-tunable: the harness is our code, and these bound what a
// hostile server can make it use (responses are capped inside it).
const HARNESS_LIMITS = {
  cpuMs: 10_000,
  memoryMb: 96,
  processes: 8,
  outputBytes: 64 * 1024,
  fileSizeBytes: 1024 * 1024,
  workDirBytes: 1024 * 1024
};
/** The harness outlives the server's wall limit by this much at most. */
const HARNESS_GRACE_MS = 2_000;

const harnessPlan: StepPlan = {
  // -S: no site module (faster start, nothing of the host's site-packages).
  command: ['/usr/bin/python3', '-I', '-S', '-B', HARNESS_PATH],
  files: [{ path: HARNESS_PATH, content: HARNESS_SCRIPT, mode: 0o444 }]
};

export interface ServeContext {
  server: () => StepContext;
  harness: () => StepContext;
  serverPlan: StepPlan;
  limits: Limits;
  stdin: Buffer;
  logger: Logger;
  options: RunOptions;
}

export interface Served {
  server: StepOutcome;
  /** The harness saw the port accept a connection (so requests were sent). */
  ready: boolean;
  tests: TestCaseResult[];
}

/**
 * Opens the program's network namespace and proves it is the one bwrap
 * created: the pid may have exited and been reused between bwrap's report
 * and our open, and a reused pid could be in the host's namespace. Holding
 * the fd pins the namespace, so nsenter cannot race either.
 */
async function openNetNamespace(info: StartedInfo) {
  const handle = await open(`/proc/${info.pid}/ns/net`, 'r');
  try {
    const { ino } = await handle.stat();
    const own = await readlink('/proc/self/ns/net');
    if (info.netNamespace === undefined || ino !== info.netNamespace || own === `net:[${ino}]`)
      throw new Error(`pid ${info.pid} is not in the sandbox's network namespace`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Runs one server instance and sends it `cases` in order. */
export async function serveCases(
  context: ServeContext,
  tests: HttpTests,
  cases: HttpCase[],
  stream: boolean
): Promise<Served> {
  const { limits, options, logger } = context;
  const stopServer = new AbortController();
  const stopHarness = new AbortController();
  let ready = false;
  let serverEnded = false;
  let harnessStarted = false;
  let resolveHarness: (outcome: StepOutcome | undefined) => void = () => undefined;
  const harnessDone = new Promise<StepOutcome | undefined>((resolve) => (resolveHarness = resolve));

  const runHarness = async (info: StartedInfo): Promise<StepOutcome | undefined> => {
    let handle;
    try {
      handle = await openNetNamespace(info);
    } catch (error) {
      // The program exiting first is the candidate's not_ready, not our failure.
      if (!serverEnded) logger.error({ err: error }, 'cannot open the server network namespace');
      return undefined;
    }
    try {
      if (serverEnded) return undefined;
      let firstLine = '';
      const outcome = await runStep(context.harness(), harnessPlan, {
        limits: { ...limits, ...HARNESS_LIMITS, wallMs: limits.wallMs + HARNESS_GRACE_MS },
        stdin: Buffer.from(JSON.stringify(harnessInput(tests, cases))),
        stdoutCap: HARNESS_CAPS.stdoutBytes,
        signal: options.signal,
        stop: stopHarness.signal,
        joinNetFd: handle.fd,
        onData: (name, data) => {
          if (name !== 'stdout' || ready || firstLine.includes('\n')) return;
          firstLine += data.toString('utf8');
          if (firstLine.includes('\n')) ready = parseHarnessOutput(firstLine).ready === true;
        }
      });
      if (outcome.end === 'setup_failed')
        logger.error({ detail: outcome.detail }, 'harness setup failed');
      else if (outcome.exitCode !== 0 && outcome.end === 'exited')
        logger.error(
          { stderr: outcome.stderr.data.toString('utf8').slice(0, 2000) },
          'harness failed'
        );
      return outcome;
    } finally {
      await handle.close();
    }
  };

  const coalescer = stream && options.onOutput ? new OutputCoalescer(options.onOutput) : undefined;
  const server = runStep(context.server(), context.serverPlan, {
    limits,
    stdin: context.stdin,
    stdoutCap: limits.outputBytes,
    signal: options.signal,
    stop: stopServer.signal,
    onData: coalescer ? (name, data) => coalescer.push(name, data) : undefined,
    onStarted: (info) => {
      harnessStarted = true;
      runHarness(info).then(resolveHarness, (error: unknown) => {
        logger.error({ err: error }, 'harness run failed');
        resolveHarness(undefined);
      });
    }
  }).then((outcome) => {
    serverEnded = true;
    // A program that is gone before it listened never will: no need to wait out readyTimeoutMs.
    if (!ready) stopHarness.abort();
    if (!harnessStarted) resolveHarness(undefined);
    return outcome;
  });

  const harness = await harnessDone;
  stopServer.abort();
  const outcome = await server;
  coalescer?.end();

  const output: HarnessOutput = harness
    ? parseHarnessOutput(harness.stdout.data.toString('utf8'))
    : { ready: undefined, responses: new Map() };
  const wasReady = output.ready === true;
  const missing: HttpCaseError = !wasReady
    ? 'not_ready'
    : harness?.end === 'wall_timeout'
      ? 'timeout'
      : harness?.end === 'stopped'
        ? 'connection_refused'
        : 'harness_failed';
  return {
    server: outcome,
    ready: wasReady,
    tests: cases.map((testCase, index) =>
      httpCaseResult(testCase, output.responses.get(index), missing)
    )
  };
}

export function serverRun(outcome: StepOutcome, status: ServerRun['status']): ServerRun {
  const stopped = outcome.end === 'stopped';
  return {
    status,
    // Killed by us after its tests: not an exit or a signal of the program's own.
    exitCode: stopped ? null : outcome.exitCode,
    signal: stopped ? null : outcome.signal,
    wallMs: outcome.wallMs,
    cpuMs: outcome.stats.cpuMs,
    memoryKb: outcome.stats.memoryKb,
    stdout: outcome.stdout.data.toString('utf8'),
    stderr: outcome.stderr.data.toString('utf8')
  };
}
