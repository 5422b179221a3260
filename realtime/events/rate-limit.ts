/** A token bucket: `capacity` events, refilled evenly over `perMs`. */
export function createRateLimit(capacity: number, perMs: number, now: () => number = Date.now) {
  let tokens = capacity;
  let last = now();
  return {
    take(): boolean {
      const t = now();
      tokens = Math.min(capacity, tokens + ((t - last) * capacity) / perMs);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    }
  };
}
export type RateLimit = ReturnType<typeof createRateLimit>;
