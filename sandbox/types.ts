import type { LimitsConfig, Limits } from './limits';

export type RunStatus =
  | 'ok'
  | 'compile_error'
  | 'runtime_error'
  | 'timeout'
  | 'memory_limit'
  | 'output_limit'
  | 'internal_error';

export interface TestCaseResult {
  id: string;
  passed: boolean;
  hidden: boolean;
  status: RunStatus;
  wallMs: number;
  /** Present for visible cases; removed for hidden ones by redactForCandidate. */
  stdin?: string;
  expectedStdout?: string;
  actualStdout?: string;
  expectedRows?: unknown[];
  actualRows?: unknown[];
  stderr?: string;
  /** HTTP cases: what was sent, what was expected, what came back. */
  request?: HttpCaseRequest;
  expected?: HttpCaseExpected;
  actual?: HttpCaseActual;
  /** HTTP cases: why no response could be compared (see HttpCaseError). */
  error?: HttpCaseError;
  /** HTTP cases: what differed, in words. */
  failures?: string[];
}

export interface HttpCaseRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpCaseExpected {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  jsonSubset: boolean;
  bodyContains?: string;
}

export interface HttpCaseActual {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** UTF-8 text of the body, cut at HTTP_RESULT_BODY_BYTES for display (compared in full). */
  body: string;
  bodyTruncated: boolean;
}

export type HttpCaseError =
  /** The program never accepted a connection on the port (it crashed, or listens elsewhere). */
  | 'not_ready'
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  /** The server closed the connection without a response. */
  | 'connection_closed'
  | 'connection_error'
  | 'response_too_large'
  | 'headers_too_large'
  | 'bad_response'
  /** Our harness failed; logged with the run id. */
  | 'harness_failed';

/**
 * The server run that served hidden HTTP cases. Its output may echo hidden
 * requests, so it is kept apart from the visible run's and removed by
 * redactForCandidate.
 */
export type ServerRun = Pick<
  RunResult,
  'status' | 'exitCode' | 'signal' | 'wallMs' | 'cpuMs' | 'memoryKb' | 'stdout' | 'stderr'
>;

export interface RunResult {
  status: RunStatus;
  exitCode: number | null;
  /** Signal name when the program died of a signal (inferred from bwrap's 128+N exit status). */
  signal: string | null;
  wallMs: number;
  cpuMs: number;
  memoryKb: number;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** Compiler diagnostics; empty for interpreted languages. */
  compileOutput: string;
  /** True when the caller's AbortSignal ended the run (status is then 'timeout'). */
  cancelled: boolean;
  limits: Limits;
  tests?: TestCaseResult[];
  /** HTTP tasks with hidden cases: the separate server run that served them. */
  hiddenServer?: ServerRun;
}

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  data: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with output chunks coalesced about every 30 ms while the program runs. */
  onOutput?: (chunk: OutputChunk) => void;
}

export interface LanguageInfo {
  id: string;
  name: string;
  extensions: string[];
  available: boolean;
  /** Debian package that provides the toolchain. */
  package: string;
  version?: string;
  defaultLimits: Limits;
}

/** The subset of pino the sandbox uses, so tests can pass a stub. */
export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface SandboxOptions {
  limits?: LimitsConfig;
  /** Concurrent runs; each owns one host uid. Default os.cpus().length. */
  slots?: number;
  /** First host uid of the slot pool (slot i runs as uidBase + i). Default 60001. */
  uidBase?: number;
  logger?: Logger;
  /** Reserved for hosts without tmpfs support; runs never touch it today. */
  workRoot?: string;
}
