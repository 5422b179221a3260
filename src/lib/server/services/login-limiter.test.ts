import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createLoginLimiter } from './login-limiter';

const WINDOW_MS = 60_000;

/** A limiter on a clock the test moves by hand. */
function setup(maxAttempts = 3) {
  let now = 1_700_000_000_000;
  const limiter = createLoginLimiter({ maxAttempts, windowMs: WINDOW_MS, now: () => now });
  return {
    limiter,
    advance(ms: number) {
      now += ms;
    }
  };
}

const ann = { email: 'ann@example.com', address: '203.0.113.1' };

/** The rate_limited error check() throws, or null when it lets the attempt through. */
function refusal(check: () => void): AppError | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

describe('createLoginLimiter', () => {
  it('lets maxAttempts failures through, then refuses with rate_limited (429) and a retry time', () => {
    const { limiter } = setup(3);
    for (let i = 0; i < 3; i++) {
      expect(refusal(() => limiter.check(ann))).toBeNull();
      limiter.fail(ann);
    }
    const error = refusal(() => limiter.check(ann));
    expect(error?.code).toBe('rate_limited');
    expect(error?.status).toBe(429);
    expect(error?.retryAfterSeconds).toBe(60);
    expect(error?.message).toBe('Too many failed sign-ins. Try again in 60 seconds.');
  });

  it('counts failures, not checks', () => {
    const { limiter } = setup(2);
    for (let i = 0; i < 10; i++) expect(refusal(() => limiter.check(ann))).toBeNull();
  });

  it('forgets each failure once the window has passed since it', () => {
    const { limiter, advance } = setup(3);
    limiter.fail(ann);
    advance(10_000);
    limiter.fail(ann);
    advance(10_000);
    limiter.fail(ann);
    // The oldest failure leaves the window 40 s from now.
    expect(refusal(() => limiter.check(ann))?.retryAfterSeconds).toBe(40);
    advance(39_999);
    expect(refusal(() => limiter.check(ann))?.retryAfterSeconds).toBe(1);
    advance(1);
    expect(refusal(() => limiter.check(ann))).toBeNull();
    // Two failures are still in the window: one more and the limit is back.
    limiter.fail(ann);
    expect(refusal(() => limiter.check(ann))?.retryAfterSeconds).toBe(10);
    advance(WINDOW_MS);
    expect(refusal(() => limiter.check(ann))).toBeNull();
  });

  it('limits an email from any address, whatever its case', () => {
    const { limiter } = setup(2);
    limiter.fail({ email: 'Ann@Example.com', address: '203.0.113.1' });
    limiter.fail({ email: 'ANN@example.COM', address: '203.0.113.2' });
    expect(
      refusal(() => limiter.check({ email: 'ann@example.com', address: '198.51.100.9' }))?.code
    ).toBe('rate_limited');
  });

  it('limits an address whatever the email, and leaves other addresses and emails alone', () => {
    const { limiter } = setup(2);
    limiter.fail({ email: 'a@example.com', address: '203.0.113.1' });
    limiter.fail({ email: 'b@example.com', address: '203.0.113.1' });
    expect(
      refusal(() => limiter.check({ email: 'c@example.com', address: '203.0.113.1' }))?.code
    ).toBe('rate_limited');
    expect(
      refusal(() => limiter.check({ email: 'c@example.com', address: '203.0.113.2' }))
    ).toBeNull();
  });

  it("a success clears the email's failures but not the address's", () => {
    const { limiter } = setup(2);
    limiter.fail(ann);
    limiter.fail(ann);
    limiter.succeed({ email: 'ANN@example.com' });
    expect(refusal(() => limiter.check({ email: ann.email, address: '198.51.100.9' }))).toBeNull();
    expect(
      refusal(() => limiter.check({ email: 'bob@example.com', address: ann.address }))?.code
    ).toBe('rate_limited');
  });

  it('with maxAttempts 1, the first failure is the limit', () => {
    const { limiter } = setup(1);
    expect(refusal(() => limiter.check(ann))).toBeNull();
    limiter.fail(ann);
    expect(refusal(() => limiter.check(ann))?.code).toBe('rate_limited');
  });

  it('limiters do not share state', () => {
    const first = setup(1);
    const second = setup(1);
    first.limiter.fail(ann);
    expect(refusal(() => second.limiter.check(ann))).toBeNull();
  });
});
