/**
 * The SDK waits out whatever retry-after a 429 or 5xx names before retrying, an hour if the
 * server says so. An interview turn cannot wait that long, and the call deadline
 * (call-guard.ts) would leave the SDK's timer sleeping behind it. So a response asking for a
 * longer wait than `maxWaitMs` is marked `x-should-retry: false`, which the SDK obeys: the
 * call fails at once (rate_limited / upstream_error) and the engine falls back.
 */
import type { ClientOptions } from 'openai';

type Fetch = NonNullable<ClientOptions['fetch']>;

/** The wait a response asks for, as the SDK reads it (retry-after-ms, then retry-after). */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (!Number.isNaN(ms)) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number.parseFloat(value);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - now;
}

export function capRetryAfter(fetch: Fetch, maxWaitMs: number): Fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.ok) return response;
    const wait = retryAfterMs(response.headers);
    if (wait === undefined || wait <= maxWaitMs) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers
    });
  };
}
