/**
 * The one error type the sandbox throws at its boundary. Codes are a closed
 * union so callers (the web app) can map them to HTTP statuses in one table.
 */
export type SandboxErrorCode =
  | 'invalid_request'
  | 'unknown_language'
  | 'language_unavailable'
  | 'limit_exceeded'
  | 'closed'
  | 'unsupported_host'
  /** Scale-out mode: no worker picked the run up in time. */
  | 'no_runner';

export class SandboxError extends Error {
  readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
    this.code = code;
  }
}

/**
 * Structural, not instanceof: the app's server entry and its SvelteKit bundle
 * each carry a copy of this module, and an error from one must be recognised
 * by the other.
 */
export function isSandboxError(value: unknown): value is SandboxError {
  return (
    value instanceof Error &&
    value.name === 'SandboxError' &&
    'code' in value &&
    typeof value.code === 'string'
  );
}
