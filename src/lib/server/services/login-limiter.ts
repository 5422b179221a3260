import { AppError } from '../errors';

/**
 * Counts failed sign-ins per email and per client address in a sliding
 * window. In memory: each app node limits on its own.
 */
export type LoginLimiter = {
  /** Throws rate_limited when either key is over the limit. */
  check(keys: { email: string; address: string }): void;
  fail(keys: { email: string; address: string }): void;
  succeed(keys: { email: string }): void;
  /** Keys currently tracked (for tests and metrics). */
  size(): number;
};

export function createLoginLimiter(options: {
  maxAttempts: number;
  windowMs: number;
  now?: () => number;
}): LoginLimiter {
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  let operations = 0;

  /** Drops keys nobody asked about again, so sprayed emails cannot grow the map forever. */
  function sweep(): void {
    if (++operations % 1000 !== 0) return;
    const cutoff = now() - options.windowMs;
    for (const [key, list] of failures) {
      if ((list.at(-1) ?? 0) <= cutoff) failures.delete(key);
    }
  }

  function recent(key: string): number[] {
    const cutoff = now() - options.windowMs;
    const list = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  }

  function keysOf(keys: { email: string; address: string }): string[] {
    return [`email:${keys.email.toLowerCase()}`, `addr:${keys.address}`];
  }

  return {
    size: () => failures.size,
    check(keys) {
      for (const key of keysOf(keys)) {
        const list = recent(key);
        if (list.length >= options.maxAttempts) {
          const oldest = list[0] ?? now();
          const retryAfterSeconds = Math.max(
            1,
            Math.ceil((oldest + options.windowMs - now()) / 1000)
          );
          throw new AppError(
            'rate_limited',
            `Too many failed sign-ins. Try again in ${retryAfterSeconds} seconds.`,
            { retryAfterSeconds }
          );
        }
      }
    },
    fail(keys) {
      sweep();
      for (const key of keysOf(keys)) {
        const list = recent(key);
        list.push(now());
        failures.set(key, list);
      }
    },
    succeed(keys) {
      failures.delete(`email:${keys.email.toLowerCase()}`);
    }
  };
}
