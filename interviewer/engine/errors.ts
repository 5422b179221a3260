/**
 * The one error the interviewer throws at its boundary. Codes are a closed
 * union so the app maps them to HTTP statuses / socket errors in one table
 * (STYLE.md, "Errors"); messages are safe to show to the person who caused them.
 */
export type InterviewerErrorCode =
  /** A turn for an interview whose state says it has ended. */
  | 'interview_finished'
  /** A candidate message over the cap (`limits.maxMessageChars`). */
  | 'message_too_long'
  /** A transcript (file or array) that does not have the documented shape. */
  | 'invalid_transcript'
  /** An EngineState that is not one this engine wrote for this plan. */
  | 'invalid_state'
  /** A plan without questions, with duplicate question ids or non-positive budgets. */
  | 'invalid_plan'
  /** A question or template id the library does not have. */
  | 'unknown_question'
  /** The caller aborted the turn (its own signal); nothing was decided. */
  | 'aborted';

export class InterviewerError extends Error {
  readonly code: InterviewerErrorCode;

  constructor(code: InterviewerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InterviewerError';
    this.code = code;
  }
}

/** Structural, not instanceof: the server entry and the SvelteKit bundle each carry a copy. */
export function isInterviewerError(value: unknown): value is InterviewerError {
  return (
    value instanceof Error &&
    value.name === 'InterviewerError' &&
    'code' in value &&
    typeof value.code === 'string'
  );
}
