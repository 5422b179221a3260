import { SandboxError } from './errors';

/**
 * Resource limits of one run step. Every limit has a default and a hard
 * maximum (Judge0 pairs CPU_TIME_LIMIT with MAX_CPU_TIME_LIMIT): a request may
 * lower a limit, never raise it past the maximum.
 */
export interface Limits {
  /** Wall-clock time of the run step, milliseconds. Default 5000, max 20000. */
  wallMs: number;
  /** CPU time summed over all processes of the run, milliseconds. Default 3000, max 15000. */
  cpuMs: number;
  /** Memory (RSS + page cache + tmpfs, swap included where the host allows), MiB. Default 256, max 1024. */
  memoryMb: number;
  /** Tasks (processes and threads) alive at once. Default 32, max 256. */
  processes: number;
  /** Bytes captured per stream (stdout, stderr); more kills the run with output_limit. Default 64 KiB, max 1 MiB. */
  outputBytes: number;
  /** Largest file a process may write (RLIMIT_FSIZE), bytes. Default 8 MiB, max 64 MiB. */
  fileSizeBytes: number;
  /** Size of the writable tmpfs work directory /box, bytes. Default 32 MiB, max 256 MiB. */
  workDirBytes: number;
}

export type LimitName = keyof Limits;

export const LIMIT_NAMES: readonly LimitName[] = [
  'wallMs',
  'cpuMs',
  'memoryMb',
  'processes',
  'outputBytes',
  'fileSizeBytes',
  'workDirBytes'
];

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  wallMs: 5_000,
  cpuMs: 3_000,
  memoryMb: 256,
  processes: 32,
  outputBytes: 64 * KiB,
  fileSizeBytes: 8 * MiB,
  workDirBytes: 32 * MiB
});

export const MAX_LIMITS: Readonly<Limits> = Object.freeze({
  wallMs: 20_000,
  cpuMs: 15_000,
  memoryMb: 1_024,
  processes: 256,
  outputBytes: 1 * MiB,
  fileSizeBytes: 64 * MiB,
  workDirBytes: 256 * MiB
});

/** Operator configuration: what `createSandbox({ limits })` accepts. */
export interface LimitsConfig {
  defaults?: Partial<Limits>;
  maxima?: Partial<Limits>;
}

export interface LimitTable {
  defaults: Limits;
  maxima: Limits;
}

export function buildLimitTable(config: LimitsConfig = {}): LimitTable {
  const maxima = { ...MAX_LIMITS, ...config.maxima };
  const defaults = { ...DEFAULT_LIMITS, ...config.defaults };
  for (const name of LIMIT_NAMES) {
    if (!(Number.isInteger(maxima[name]) && maxima[name] > 0)) {
      throw new SandboxError('invalid_request', `limits.maxima.${name} must be a positive integer`);
    }
    if (defaults[name] > maxima[name]) {
      throw new SandboxError(
        'limit_exceeded',
        `limits.defaults.${name} (${defaults[name]}) exceeds its maximum (${maxima[name]})`
      );
    }
  }
  return { defaults, maxima };
}

/**
 * Effective limits = request override, else the language's default, else the
 * global default. A language default above an operator-lowered maximum is
 * capped (the operator's word wins); a request above the maximum is an error,
 * never silently clamped, so a grader cannot believe it got more than it did.
 */
export function resolveLimits(
  table: LimitTable,
  languageDefaults: Partial<Limits>,
  requested: Partial<Limits> | undefined
): Limits {
  const out = { ...table.defaults };
  for (const name of LIMIT_NAMES) {
    const languageValue = languageDefaults[name];
    if (languageValue !== undefined) out[name] = Math.min(languageValue, table.maxima[name]);
    const value = requested?.[name];
    if (value === undefined) continue;
    if (value > table.maxima[name]) {
      throw new SandboxError(
        'limit_exceeded',
        `${name} ${value} exceeds the maximum ${table.maxima[name]}`
      );
    }
    out[name] = value;
  }
  return out;
}
