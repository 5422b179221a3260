/** Stable codes of a refused socket event; the message is for people. */
export const SESSION_PROBLEM_CODES = [
  'unauthorized',
  'validation_failed',
  'forbidden',
  'unknown_event',
  'not_found',
  'rate_limited',
  'session_ended',
  'run_in_progress',
  'call_full',
  'runner_unavailable',
  'internal_error'
] as const;
export type SessionProblemCode = (typeof SESSION_PROBLEM_CODES)[number];

export class SessionProblem extends Error {
  readonly code: SessionProblemCode;
  constructor(code: SessionProblemCode, message: string) {
    super(message);
    this.name = 'SessionProblem';
    this.code = code;
  }
}

export function isSessionProblem(error: unknown): error is SessionProblem {
  return error instanceof Error && error.name === 'SessionProblem' && 'code' in error;
}
