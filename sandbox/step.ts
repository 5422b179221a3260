import {
  buildStepArgv,
  warmControl,
  warmHead,
  WRAPPER_FAILURE,
  WRAPPER_FAILURE_EXIT,
  type HostLayout,
  type SandboxFile
} from './bwrap';
import type { CgroupDriver, CgroupLimits, CgroupStats, RunCgroup } from './cgroup';
import type { CgroupReserve } from './cgroup-reserve';
import type { StepPlan } from './languages/types';
import {
  FIRST_INPUT_FD,
  STATUS_FD,
  spawnStep,
  type CapturedStream,
  type SpawnedStep,
  type StartedInfo,
  type StreamOptions
} from './process';
import { seccompFilterBytes } from './seccomp';
import type { Limits } from './limits';
import type { Logger } from './types';
import { stopWaiting, WARM_FILE_PIPES, type WarmPool, type WarmWrapper } from './warm';

/** Why a step ended, before it is mapped to a RunStatus. */
export type StepEnd =
  | 'exited'
  | 'wall_timeout'
  | 'cpu_timeout'
  | 'output_limit'
  | 'cancelled'
  /** Ended by options.stop: the host was done with it (an HTTP server after its tests). */
  | 'stopped'
  | 'setup_failed';

export interface StepOutcome {
  end: StepEnd;
  exitCode: number | null;
  signal: string | null;
  wallMs: number;
  stats: CgroupStats;
  oomKilled: boolean;
  stdout: CapturedStream;
  stderr: CapturedStream;
  /** Why setup failed, for logs only (never shown to candidates). */
  detail?: string;
}

export interface StepContext {
  driver: CgroupDriver;
  cgroups: CgroupReserve;
  layout: HostLayout;
  hostUid: number;
  logger: Logger;
  /** The slot's pre-spawned wrappers; absent for steps that always start cold (compile, HTTP). */
  warm?: WarmPool;
}

export interface StepOptions {
  limits: Limits;
  stdin: Buffer;
  /** Stdout cap; compile steps raise it to carry the artifact. */
  stdoutCap: number;
  signal?: AbortSignal;
  /** Ends the step without it counting as cancelled (end 'stopped'). */
  stop?: AbortSignal;
  onData?: (stream: 'stdout' | 'stderr', data: Buffer) => void;
  /** The program is running: its host pid and network namespace. */
  onStarted?: (info: StartedInfo) => void;
  /**
   * Host fd of a network namespace for the step to join instead of getting
   * its own (the HTTP harness). The caller keeps ownership of the fd.
   */
  joinNetFd?: number;
}

const BASE_ENV = {
  PATH: '/usr/bin:/bin',
  HOME: '/box',
  LANG: 'C.UTF-8',
  TMPDIR: '/tmp',
  USER: 'runner',
  LOGNAME: 'runner'
};
export const OPEN_FILES = 256;
const CPU_POLL_MS = 50;

const seccomp = seccompFilterBytes();
const passwd = Buffer.from(
  'root:x:0:0:root:/nonexistent:/usr/sbin/nologin\nrunner:x:1000:1000:runner:/box:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n'
);
const group = Buffer.from('root:x:0:\nrunner:x:1000:\nnogroup:x:65534:\n');
const hosts = Buffer.from('127.0.0.1 localhost sandbox\n::1 localhost\n');

/**
 * The same for every step, so a warm wrapper gets them at spawn: seccomp
 * filter on FIRST_INPUT_FD, then /etc/passwd, /etc/group and /etc/hosts.
 */
export const BASE_INPUTS: readonly Buffer[] = [seccomp, passwd, group, hosts];
const SECCOMP_FD = FIRST_INPUT_FD;
const BASE_FILES: SandboxFile[] = [
  { path: '/etc/passwd', fd: FIRST_INPUT_FD + 1, mode: 0o444 },
  { path: '/etc/group', fd: FIRST_INPUT_FD + 2, mode: 0o444 },
  { path: '/etc/hosts', fd: FIRST_INPUT_FD + 3, mode: 0o444 }
];
/** Child fd a warm wrapper reads its argv from; its file pipes follow. */
export const WARM_CONTROL_FD = FIRST_INPUT_FD + BASE_INPUTS.length;

/** The fixed head of every warm step of a slot; `runWarm` sends the rest. */
export function warmWrapperHead(layout: HostLayout, hostUid: number): string[] {
  return warmHead({ layout, hostUid, seccompFd: SECCOMP_FD, statusFd: STATUS_FD });
}

export function cgroupLimitsOf(limits: Limits): CgroupLimits {
  return { memoryBytes: limits.memoryMb * 1024 * 1024, pids: limits.processes, cpus: 1 };
}

function sameLimits(a: CgroupLimits, b: CgroupLimits): boolean {
  return a.memoryBytes === b.memoryBytes && a.pids === b.pids && a.cpus === b.cpus;
}

function contentOf(content: Buffer | string): Buffer {
  return typeof content === 'string' ? Buffer.from(content) : content;
}

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  31: 'SIGSYS'
};

/** bwrap reports death by signal N as exit status 128+N. */
export function signalFromStatus(exitCode: number | null): string | null {
  if (exitCode === null || exitCode <= 128 || exitCode > 128 + 64) return null;
  return SIGNALS[exitCode - 128] ?? `SIG${exitCode - 128}`;
}

export async function runStep(
  context: StepContext,
  plan: StepPlan,
  options: StepOptions
): Promise<StepOutcome> {
  const pool =
    context.warm && options.joinNetFd === undefined && plan.files.length <= WARM_FILE_PIPES
      ? context.warm
      : undefined;
  // The next run's wrapper is spawned right after this one started, off its critical path.
  const refill = pool ? () => pool.refill(cgroupLimitsOf(options.limits)) : undefined;
  const warm = pool ? await pool.take() : undefined;
  if (warm) {
    const outcome = await runWarm(context, warm, plan, options, refill);
    if (outcome) return outcome;
    // The pool must never fail a run: the same step again, cold.
    context.logger.warn('warm wrapper failed before the program started; running the step cold');
  }
  return runCold(context, plan, options, refill);
}

function stepArgv(
  context: StepContext,
  plan: StepPlan,
  options: StepOptions,
  cgroup: RunCgroup,
  selfAttach: boolean,
  files: SandboxFile[],
  lastFd: number
) {
  const { limits } = options;
  return {
    hostUid: context.hostUid,
    selfAttach,
    cgroupProcsFiles: cgroup.procsFiles,
    rlimits: {
      fileSizeBytes: limits.fileSizeBytes,
      openFiles: OPEN_FILES,
      cpuSeconds: Math.ceil(limits.cpuMs / 1000) + 1
    },
    layout: context.layout,
    extraRoBinds: plan.roBinds ?? [],
    files: [...BASE_FILES, ...files],
    workDirBytes: limits.workDirBytes,
    env: { ...BASE_ENV, ...plan.env },
    seccompFd: SECCOMP_FD,
    statusFd: STATUS_FD,
    lastFd,
    command: plan.command
  };
}

/**
 * Hands the step to a wrapper that was spawned (and joined its cgroup) ahead
 * of time. Returns undefined when that wrapper failed before the program
 * started, so that the caller runs the step cold instead.
 */
async function runWarm(
  context: StepContext,
  warm: WarmWrapper,
  plan: StepPlan,
  options: StepOptions,
  refill: (() => void) | undefined
): Promise<StepOutcome | undefined> {
  const { cgroup } = warm;
  let released = false;
  try {
    // The wrapper was spawned with the previous run's limits; usually they match.
    const wanted = cgroupLimitsOf(options.limits);
    if (!sameLimits(wanted, warm.limits)) await cgroup.configure(wanted);
    const firstFileFd = WARM_CONTROL_FD + 1;
    const files = plan.files.map((file, index) => ({
      path: file.path,
      fd: firstFileFd + index,
      mode: file.mode ?? 0o644
    }));
    const spec = stepArgv(
      context,
      plan,
      options,
      cgroup,
      false,
      files,
      firstFileFd + files.length - 1
    );
    const control = warmControl(spec);
    const contents = plan.files.map((file) => contentOf(file.content));
    const outcome = await supervise(context, cgroup, options, refill, 'warm', (io) => {
      warm.step.release({ stdin: options.stdin, control, files: contents, io });
      released = true;
      return warm.step;
    });
    return outcome.end === 'setup_failed' ? undefined : outcome;
  } catch (error) {
    // Once released, the program may have run: a cold retry would run it twice.
    if (released) throw error;
    context.logger.warn({ err: error }, 'warm wrapper could not be used');
    return undefined;
  } finally {
    if (!released) stopWaiting(warm);
    await cgroup
      .kill()
      .catch((error: unknown) =>
        context.logger.error({ err: error, cgroup: cgroup.name }, 'cgroup kill failed')
      );
    context.cgroups.retire(cgroup);
  }
}

async function runCold(
  context: StepContext,
  plan: StepPlan,
  options: StepOptions,
  refill: (() => void) | undefined
): Promise<StepOutcome> {
  const cgroup = await context.cgroups.take();
  try {
    // Joining a namespace starts as root under nsenter; only then are privileges dropped.
    const selfAttach = context.driver.selfAttach && options.joinNetFd === undefined;
    await cgroup.configure(
      cgroupLimitsOf(options.limits),
      selfAttach ? context.hostUid : undefined
    );
    const inputs: Buffer[] = [...BASE_INPUTS];
    const files: SandboxFile[] = [];
    for (const file of plan.files) {
      inputs.push(contentOf(file.content));
      files.push({
        path: file.path,
        fd: FIRST_INPUT_FD + inputs.length - 1,
        mode: file.mode ?? 0o644
      });
    }
    const spec = buildStepArgv({
      ...stepArgv(
        context,
        plan,
        options,
        cgroup,
        selfAttach,
        files,
        FIRST_INPUT_FD + inputs.length - 1
      ),
      joinNetFd: options.joinNetFd === undefined ? undefined : FIRST_INPUT_FD + inputs.length
    });
    return await supervise(context, cgroup, options, refill, 'cold', (io) =>
      spawnStep(spec, {
        ...io,
        stdin: options.stdin,
        inputs,
        passFds: options.joinNetFd === undefined ? undefined : [options.joinNetFd]
      })
    );
  } finally {
    // kill() again: also covers exceptions thrown before the normal path ran it.
    await cgroup
      .kill()
      .catch((error: unknown) =>
        context.logger.error({ err: error, cgroup: cgroup.name }, 'cgroup kill failed')
      );
    context.cgroups.retire(cgroup);
  }
}

/** Starts the step, enforces wall/CPU limits, cancellation and output caps, and collects the outcome. */
async function supervise(
  context: StepContext,
  cgroup: RunCgroup,
  options: StepOptions,
  refill: (() => void) | undefined,
  path: 'warm' | 'cold',
  start: (io: StreamOptions) => SpawnedStep
): Promise<StepOutcome> {
  const { limits } = options;
  let end: StepEnd = 'exited';
  // Filled in right after spawn; stop() can only fire from later events.
  const monitor: { pid?: number } = {};
  const killRun = () =>
    void cgroup
      .kill(monitor.pid)
      .catch((error: unknown) => context.logger.error({ err: error }, 'cgroup kill failed'));
  const stop = (reason: StepEnd) => {
    if (end !== 'exited') return;
    end = reason;
    killRun();
  };

  const startedAt = performance.now();
  let startedMs = 0;
  const step = start({
    stdoutCap: options.stdoutCap,
    stderrCap: limits.outputBytes,
    onData: options.onData,
    onOverflow: () => stop('output_limit'),
    onStarted: (info) => {
      startedMs = performance.now() - startedAt;
      // A stop in the first milliseconds can come before the wrapper has
      // joined the cgroup and find nothing to kill; now the program is in it.
      if (end !== 'exited') return killRun();
      options.onStarted?.(info);
    }
  });
  refill?.();

  // The spawned pid becomes bwrap's outer monitor through the exec chain.
  monitor.pid = step.pid;
  const wallTimer = setTimeout(() => stop('wall_timeout'), limits.wallMs);
  // RLIMIT_CPU is per process and whole seconds; the cgroup total is the real limit.
  const cpuTimer = setInterval(() => {
    cgroup.cpuMs().then(
      (cpuMs) => {
        if (cpuMs > limits.cpuMs) stop('cpu_timeout');
      },
      () => undefined
    );
  }, CPU_POLL_MS);
  const onAbort = () => stop('cancelled');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const onStop = () => stop('stopped');
  if (options.stop?.aborted) onStop();
  options.stop?.addEventListener('abort', onStop, { once: true });

  await step.exited;
  const wallMs = Math.round(performance.now() - startedAt);
  clearTimeout(wallTimer);
  clearInterval(cpuTimer);
  options.signal?.removeEventListener('abort', onAbort);
  options.stop?.removeEventListener('abort', onStop);

  // Orphans (double forks, setsid) die here at the latest; --unshare-pid
  // already kills them when the program's pid 1 exits.
  await cgroup.kill();
  const abandon = setTimeout(() => step.abandonPipes(), 1_000);
  const outcome = await step.finished;
  clearTimeout(abandon);
  const stats = await cgroup.stats();
  context.logger.debug(
    { path, setupMs: Math.round(startedMs), wallMs, end, exitCode: outcome.exitCode },
    'step finished'
  );

  if (outcome.spawnError || !outcome.started) {
    const stderr = outcome.stderr.data.toString('utf8');
    const wrapperFailed =
      outcome.exitCode === WRAPPER_FAILURE_EXIT && stderr.startsWith(WRAPPER_FAILURE);
    // A killed step may never have reported its pid: that is still our limit, not a setup failure.
    if (end === 'exited' || wrapperFailed) {
      return {
        end: 'setup_failed',
        exitCode: outcome.exitCode,
        signal: null,
        wallMs,
        stats,
        oomKilled: stats.oomKilled,
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        detail: outcome.spawnError?.message ?? stderr.slice(0, 2000)
      };
    }
  }
  if (end === 'exited' && signalFromStatus(outcome.exitCode) === 'SIGXCPU') end = 'cpu_timeout';
  return {
    end,
    exitCode: outcome.exitCode,
    signal: outcome.signal ?? signalFromStatus(outcome.exitCode),
    wallMs,
    stats,
    oomKilled: stats.oomKilled,
    stdout: outcome.stdout,
    stderr: outcome.stderr
  };
}
