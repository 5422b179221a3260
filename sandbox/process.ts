import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { SpawnSpec } from './bwrap';

/**
 * Spawns one step and moves bytes: request data in through pipes (stdin and
 * one pipe per bwrap `--file`/`--seccomp` fd), output out through pipes with
 * byte caps. The host never opens a path the sandbox can write.
 */
export const STATUS_FD = 3;
export const FIRST_INPUT_FD = 4;

export interface CapturedStream {
  data: Buffer;
  truncated: boolean;
}

export interface ProcessOutcome {
  /** Exit status of bwrap, which is the program's (128+N when it died of signal N). */
  exitCode: number | null;
  /** Signal that killed the bwrap process itself (e.g. our cgroup kill). */
  signal: NodeJS.Signals | null;
  /** bwrap reported the program's pid: setup finished and the program was started. */
  started: boolean;
  stdout: CapturedStream;
  stderr: CapturedStream;
  spawnError?: Error;
}

export interface SpawnOptions {
  stdin: Buffer;
  /** Contents for fds FIRST_INPUT_FD, FIRST_INPUT_FD+1, ... */
  inputs: Buffer[];
  stdoutCap: number;
  stderrCap: number;
  onData?: (stream: 'stdout' | 'stderr', data: Buffer) => void;
  /** Called once when a stream exceeds its cap. */
  onOverflow?: (stream: 'stdout' | 'stderr') => void;
  onStarted?: (info: StartedInfo) => void;
  /** Host fds handed to the child right after the input pipes (e.g. a namespace to join). */
  passFds?: number[];
  /**
   * Pre-spawn (the warm pool): stdin stays unwritten, and after the input
   * pipes come a control pipe and `pipes` more pipes for file contents, all
   * filled only by `release` when the run arrives.
   */
  held?: { pipes: number };
}

/** Per-run stream settings, given at spawn or, for a held step, at release. */
export type StreamOptions = Pick<
  SpawnOptions,
  'stdoutCap' | 'stderrCap' | 'onData' | 'onOverflow' | 'onStarted'
>;

export interface ReleaseInput {
  stdin: Buffer;
  /** Read by the waiting wrapper to the end: the rest of its argv. */
  control: Buffer;
  /** Contents for the file pipes, in order; unused ones are closed empty. */
  files: Buffer[];
  io: StreamOptions;
}

/** What bwrap reports on its status fd once the program runs. */
export interface StartedInfo {
  /** Host pid of the sandboxed program (pid 1 inside). */
  pid: number;
  /** Inode of the program's network namespace, as /proc/PID/ns/net shows it. */
  netNamespace: number | undefined;
}

/** Parses bwrap's first --json-status-fd object once it is complete. */
export function parseStartedStatus(text: string): StartedInfo | undefined {
  const end = text.indexOf('}');
  if (end < 0) return undefined;
  const first = text.slice(0, end + 1);
  const pid = /"child-pid":\s*(\d+)/.exec(first)?.[1];
  if (pid === undefined) return undefined;
  const net = /"net-namespace":\s*(\d+)/.exec(first)?.[1];
  return { pid: Number(pid), netNamespace: net === undefined ? undefined : Number(net) };
}

export interface SpawnedStep {
  pid: number | undefined;
  /** Resolves when bwrap exits (orphans may still hold the pipes open). */
  exited: Promise<void>;
  /** Resolves with everything once the pipes are closed too. */
  finished: Promise<ProcessOutcome>;
  /** Stops waiting for pipes that orphans keep open (use after killing the cgroup). */
  abandonPipes(): void;
  /** Held steps only: hands the waiting wrapper its run. */
  release(input: ReleaseInput): void;
}

function capture(
  stream: Readable,
  name: 'stdout' | 'stderr',
  options: StreamOptions
): { result: () => CapturedStream } {
  // Read at each chunk: a held step learns its caps only at release.
  const capOf = () => (name === 'stdout' ? options.stdoutCap : options.stderrCap);
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  stream.on('data', (chunk: Buffer) => {
    if (truncated) return;
    const room = capOf() - size;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length > 0) {
      chunks.push(kept);
      size += kept.length;
      options.onData?.(name, kept);
    }
    if (chunk.length > room) {
      truncated = true;
      options.onOverflow?.(name);
    }
  });
  stream.on('error', () => undefined);
  return { result: () => ({ data: Buffer.concat(chunks), truncated }) };
}

function feed(stream: Writable | null | undefined, data: Buffer): void {
  if (!stream) return;
  // EPIPE is normal: a program need not read its stdin, bwrap may fail early.
  stream.on('error', () => undefined);
  stream.end(data);
}

export function spawnStep(spec: SpawnSpec, options: SpawnOptions): SpawnedStep {
  const controlFd = FIRST_INPUT_FD + options.inputs.length;
  const heldPipes = options.held ? 1 + options.held.pipes : 0;
  const stdio: ('pipe' | number)[] = [
    ...new Array<'pipe'>(controlFd + heldPipes).fill('pipe'),
    ...(options.passFds ?? [])
  ];
  // Mutable copy: release() fills in a held step's per-run settings.
  const io: StreamOptions = { ...options };
  const child = spawn(spec.file, spec.args, {
    env: spec.env,
    stdio,
    detached: false,
    uid: spec.uid,
    gid: spec.gid
  });

  const stdout = capture(child.stdout ?? failStream(), 'stdout', io);
  const stderr = capture(child.stderr ?? failStream(), 'stderr', io);
  let started = false;
  let statusText = '';
  const status = child.stdio[STATUS_FD] as Readable | null;
  status?.on('data', (chunk: Buffer) => {
    if (started) return;
    statusText += chunk.toString('utf8');
    const info = parseStartedStatus(statusText);
    if (info) {
      started = true;
      io.onStarted?.(info);
    }
  });
  status?.on('error', () => undefined);

  if (!options.held) feed(child.stdin, options.stdin);
  options.inputs.forEach((data, index) =>
    feed(child.stdio[FIRST_INPUT_FD + index] as Writable | null, data)
  );

  let exitCode: number | null = null;
  let signal: NodeJS.Signals | null = null;
  let spawnError: Error | undefined;
  let resolveExited: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => (resolveExited = resolve));
  let resolveFinished: (outcome: ProcessOutcome) => void = () => undefined;
  const finished = new Promise<ProcessOutcome>((resolve) => (resolveFinished = resolve));

  const finish = () =>
    resolveFinished({
      exitCode,
      signal,
      started,
      stdout: stdout.result(),
      stderr: stderr.result(),
      spawnError
    });

  child.on('exit', (code, sig) => {
    exitCode = code;
    signal = sig;
    resolveExited();
  });
  child.on('error', (error) => {
    spawnError = error;
    resolveExited();
    finish();
  });
  child.on('close', finish);

  return {
    pid: child.pid,
    exited,
    finished,
    abandonPipes() {
      for (const stream of child.stdio) stream?.destroy();
      // 'close' follows the destroyed streams; this is only a backstop.
      setImmediate(finish);
    },
    release(input) {
      if (!options.held) throw new Error('release() is for held steps');
      Object.assign(io, input.io);
      for (let index = 0; index < options.held.pipes; index++)
        feed(
          child.stdio[controlFd + 1 + index] as Writable | null,
          input.files[index] ?? Buffer.alloc(0)
        );
      feed(child.stdin, input.stdin);
      feed(child.stdio[controlFd] as Writable | null, input.control);
    }
  };
}

function failStream(): never {
  throw new Error('spawn did not create the expected pipes');
}
