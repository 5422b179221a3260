import type { ZodError } from 'zod';
import type { ErrorBody, ErrorCode } from '../contracts/errors';

export type { ErrorCode };

/** One table from code to HTTP status. */
export const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  link_expired: 410,
  link_revoked: 410,
  unknown_language: 400,
  limit_exceeded: 422,
  language_unavailable: 503,
  runner_unavailable: 503,
  consent_required: 403,
  internal_error: 500
};

export type Issue = { path: string; message: string };

const BRAND = Symbol.for('tandem.AppError');

export class AppError extends Error {
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly issues: Issue[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; issues?: Issue[]; retryAfterSeconds?: number } = {}
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options.issues;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return statusOf[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues ? { issues: this.issues } : {})
      }
    };
  }
}

/**
 * Use this, not instanceof: server.ts and the SvelteKit bundle each carry a
 * copy of this module, and an error thrown by one must be recognised by the other.
 */
export function isAppError(value: unknown): value is AppError {
  return typeof value === 'object' && value !== null && BRAND in value;
}

export function issuesOf(error: ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message
  }));
}

export function validationError(error: ZodError, what = 'request'): AppError {
  const issues = issuesOf(error);
  const first = issues[0];
  const summary = first ? `${first.path}: ${first.message}` : 'invalid';
  return new AppError('validation_failed', `The ${what} is not valid (${summary}).`, { issues });
}

export const notFound = (what: string): AppError =>
  new AppError('not_found', `${what} was not found.`);

/** PostgreSQL unique violation, for mapping duplicates to 409. */
export function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    if ((e as Error & { code?: unknown }).code === '23505') return true;
    e = e.cause;
  }
  return false;
}
