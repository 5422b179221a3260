/**
 * Public face of the sandbox. Everything else in this folder is internal.
 * See docs/sandbox.md and docs/security.md.
 */
export { createSandbox, type Sandbox } from './sandbox';
export { SandboxError, isSandboxError, type SandboxErrorCode } from './errors';
export {
  runRequestSchema,
  parseRequest,
  REQUEST_CAPS,
  type RunRequestInput,
  type RunRequest
} from './request';
export { DEFAULT_LIMITS, MAX_LIMITS, type Limits, type LimitsConfig } from './limits';
export { redactForCandidate } from './redact';
export type {
  RunResult,
  RunStatus,
  RunOptions,
  OutputChunk,
  TestCaseResult,
  LanguageInfo,
  SandboxOptions,
  Logger
} from './types';
export {
  createRunQueue,
  createRunWorker,
  type RunQueue,
  type RunQueueOptions,
  type RunWorker
} from './queue/index';
export { httpTestsSchema, HTTP_CAPS, HTTP_LANGUAGES, type HttpTests } from './http-schema';
export type {
  HttpCaseRequest,
  HttpCaseExpected,
  HttpCaseActual,
  HttpCaseError,
  ServerRun
} from './types';
