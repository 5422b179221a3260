/**
 * The one error an LLM provider throws. The engine catches it and carries the interview on
 * with the offline engine (issue 5: "the candidate sees no error"), so its codes are a closed
 * set the engine can log and count, and its message is for logs only, never for a candidate.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  ContentFilterFinishReasonError,
  InternalServerError,
  LengthFinishReasonError,
  RateLimitError
} from 'openai/core/error';

export const PROVIDER_ERROR_CODES = [
  'timeout', // no answer within the per-attempt timeout, the stream went idle, or the call deadline passed
  'rate_limited', // 429 after the SDK's own retries (which honour retry-after)
  'upstream_error', // 5xx after retries, or any other non-2xx (bad key, unknown model, bad request)
  'malformed_output', // not JSON, fails the schema, unknown ids, truncated by max tokens
  'refused', // the model refused or a content filter stopped it
  'connection' // DNS, refused connection, reset, stream cut before it finished
] as const;
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  /** The upstream HTTP status, when there was one. */
  readonly status: number | undefined;

  constructor(
    code: ProviderErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number }
  ) {
    super(message, { cause: options?.cause });
    this.name = 'ProviderError';
    this.code = code;
    this.status = options?.status;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/**
 * Maps what the `openai` SDK throws to our codes (STYLE.md: map provider errors at the
 * boundary). Order matters: the timeout class extends the connection class, and every HTTP
 * error class extends APIError.
 */
export function fromOpenAIError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError('timeout', 'The LLM did not answer in time', { cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError('connection', `Could not reach the LLM: ${error.message}`, {
      cause: error
    });
  }
  if (error instanceof RateLimitError) {
    return new ProviderError('rate_limited', 'The LLM rate-limited us after retries', {
      cause: error,
      status: 429
    });
  }
  if (error instanceof InternalServerError) {
    return new ProviderError('upstream_error', `The LLM failed with ${error.status}`, {
      cause: error,
      status: error.status
    });
  }
  if (error instanceof APIError) {
    // 4xx other than 429 (wrong key or model, a server that rejects response_format), and
    // errors sent inside a stream (status undefined): nothing a retry of this turn would fix.
    const status = typeof error.status === 'number' ? error.status : undefined;
    return new ProviderError('upstream_error', `The LLM answered ${status ?? 'an error'}`, {
      cause: error,
      status
    });
  }
  if (error instanceof LengthFinishReasonError) {
    return new ProviderError('malformed_output', 'The LLM hit its token limit', { cause: error });
  }
  if (error instanceof ContentFilterFinishReasonError) {
    return new ProviderError('refused', 'A content filter stopped the LLM', { cause: error });
  }
  if (error instanceof SyntaxError) {
    // The SDK throws it for an SSE event whose data is not JSON.
    return new ProviderError('malformed_output', 'The LLM stream was not valid JSON', {
      cause: error
    });
  }
  return new ProviderError('connection', 'The LLM call failed', { cause: error });
}
