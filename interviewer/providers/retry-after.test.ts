import { describe, expect, it } from 'vitest';
import { capRetryAfter, retryAfterMs } from './retry-after';

describe('retryAfterMs', () => {
  it('reads retry-after-ms first, then retry-after in seconds or as a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('2025-01-01T10:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 10:00:30 GMT' }), now)).toBe(
      30_000
    );
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});

describe('capRetryAfter', () => {
  const answering = (status: number, headers: Record<string, string>) => async () =>
    new Response('{}', { status, headers });

  it('tells the SDK not to retry when the server asks for a longer wait than allowed', async () => {
    const long = await capRetryAfter(answering(429, { 'retry-after': '60' }), 1000)('http://x');
    expect(long.status).toBe(429);
    expect(long.headers.get('x-should-retry')).toBe('false');
    const short = await capRetryAfter(answering(429, { 'retry-after': '1' }), 1000)('http://x');
    expect(short.headers.get('x-should-retry')).toBeNull();
    const ok = await capRetryAfter(answering(200, { 'retry-after': '60' }), 1000)('http://x');
    expect(ok.headers.get('x-should-retry')).toBeNull();
  });
});
