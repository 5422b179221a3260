/**
 * Bounds one provider call in time and turns its failures into ProviderErrors.
 *
 * The SDK's `timeout` covers each attempt only until the response headers arrive: a stream
 * that goes silent afterwards, or a retry-after of an hour, would hang the turn. So a call
 * also has a deadline for the whole call (retries and their waits included) and, while
 * streaming, an idle timeout between chunks. Both end in `timeout`.
 *
 * The caller's own abort is not a provider failure: the call rejects with the caller's
 * reason, as fetch does, and the engine has nothing to fall back from.
 */
import { ProviderError, fromOpenAIError } from './errors';

export type CallGuard = {
  /** Pass to the SDK: aborts on the caller's signal, the deadline and the idle timeout. */
  readonly signal: AbortSignal;
  /** Settles with `work`, or rejects as soon as the signal aborts (even mid retry-wait). */
  race<T>(work: Promise<T>): Promise<T>;
  /** Restarts the idle timeout; call on every streamed chunk. */
  touch(): void;
  /** Throws if the call was aborted (the SDK ends an aborted stream silently). */
  throwIfAborted(): void;
  /** The error to throw for whatever went wrong. */
  fail(error: unknown): Error;
  dispose(): void;
};

/**
 * How long a whole call may take: every attempt its full timeout, plus the SDK's backoff
 * between attempts (0.5 s, 1 s, 2 s, ... at most 8 s; openai-node's
 * calculateDefaultRetryTimeoutMillis). Retry-after waits are capped at one timeout
 * (retry-after.ts) but not added: a server that keeps asking for them runs into the deadline.
 */
export function callDeadlineMs(timeoutMs: number, maxRetries: number): number {
  let backoff = 0;
  for (let retry = 0; retry < maxRetries; retry += 1) backoff += Math.min(500 * 2 ** retry, 8_000);
  return timeoutMs * (maxRetries + 1) + backoff;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The call was aborted', 'AbortError');
}

export function createCallGuard(options: {
  signal: AbortSignal | undefined;
  deadlineMs: number;
  idleMs: number;
}): CallGuard {
  const caller = options.signal;
  const expired = new AbortController();
  const deadline = setTimeout(() => expired.abort(), options.deadlineMs);
  let idle: ReturnType<typeof setTimeout> | undefined;
  const signal = caller ? AbortSignal.any([caller, expired.signal]) : expired.signal;
  let detach: (() => void) | undefined;

  function fail(error: unknown): Error {
    if (caller?.aborted) return abortReason(caller);
    if (expired.signal.aborted) {
      return new ProviderError('timeout', 'The LLM call ran out of time', { cause: error });
    }
    return fromOpenAIError(error);
  }

  return {
    signal,
    race(work) {
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(fail(undefined));
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        detach = () => signal.removeEventListener('abort', onAbort);
        work.then(resolve, (error: unknown) => reject(fail(error))).finally(() => detach?.());
      });
    },
    touch() {
      clearTimeout(idle);
      idle = setTimeout(() => expired.abort(), options.idleMs);
    },
    throwIfAborted() {
      if (signal.aborted) throw fail(undefined);
    },
    fail,
    dispose() {
      clearTimeout(deadline);
      clearTimeout(idle);
      detach?.();
    }
  };
}
