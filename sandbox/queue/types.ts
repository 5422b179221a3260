import type { SandboxOptions, LanguageInfo, RunOptions, RunResult } from '../types';

/**
 * Runs code, in this process (a slot pool) or on `npm run worker` machines
 * through Redis: callers cannot tell which.
 */
export interface RunQueue {
  readonly mode: 'local' | 'redis';
  run(request: unknown, options?: RunOptions): Promise<RunResult>;
  languages(): Promise<LanguageInfo[]>;
  close(): Promise<void>;
}

export interface RunQueueOptions extends SandboxOptions {
  /** Set to send runs to workers over Redis (BullMQ); unset runs them in this process. */
  redisUrl?: string;
  /** Redis key prefix, so several deployments (or tests) can share one Redis. Default "tandem". */
  prefix?: string;
  /** How long a run may wait for a worker before it fails with no_runner, in ms. Default 30 000. */
  queueTimeoutMs?: number;
}

/** What travels through BullMQ. */
export interface RunJobData {
  request: unknown;
}

export type RunJobResult =
  | { ok: true; result: RunResult; chunks: number }
  | { ok: false; error: { code: string; message: string } };

export interface OutputMessage {
  seq: number;
  stream: 'stdout' | 'stderr';
  data: string;
}

export const QUEUE_NAME = 'runs';

export function channels(prefix: string, runId: string) {
  return {
    output: `${prefix}:runs:${runId}:output`,
    cancel: `${prefix}:runs:${runId}:cancel`
  };
}

/** BullMQ: a lower number is served first. */
export const PRIORITY = { interactive: 1, grading: 10 } as const;

/** Each worker advertises its languages under this hash, refreshed every ADVERT_TTL_MS / 3. */
export function workersKey(prefix: string): string {
  return `${prefix}:runs:workers`;
}

export const ADVERT_TTL_MS = 30_000;

export interface WorkerAdvert {
  at: number;
  slots: number;
  languages: LanguageInfo[];
}
