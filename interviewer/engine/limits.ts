/**
 * Every limit of the engine, with its default and its hard maximum (STYLE.md,
 * "Configuration and limits"): options may lower a limit, never raise it past
 * the maximum.
 */
export type EngineLimits = {
  /**
   * Longest candidate message a turn accepts, in UTF-16 code units. Enforced in
   * `engine.turn()` before anything is decided: a longer message is refused with
   * `message_too_long` (nothing is truncated, so nothing the candidate wrote is lost).
   * Default 4000, maximum 20000.
   */
  maxMessageChars: number;
  /** Interviewer messages on one question, the question itself included, before the engine moves on. Default 6, maximum 20. */
  maxTurnsPerQuestion: number;
  /**
   * How long a provider may take to decide a turn before the offline engine answers instead,
   * ms, the provider's own retries included. Default 30000, maximum 120000.
   */
  turnTimeoutMs: number;
  /** How long a provider may take to evaluate before the offline engine scores instead, ms. Default 300000, maximum 600000. */
  evaluateTimeoutMs: number;
  /** Longest interviewer message accepted from a provider, characters. Default 2000, maximum 8000. */
  maxInterviewerChars: number;
};

export const DEFAULT_LIMITS: EngineLimits = {
  maxMessageChars: 4_000,
  maxTurnsPerQuestion: 6,
  turnTimeoutMs: 30_000,
  evaluateTimeoutMs: 300_000,
  maxInterviewerChars: 2_000
};

export const MAX_LIMITS: EngineLimits = {
  maxMessageChars: 20_000,
  maxTurnsPerQuestion: 20,
  turnTimeoutMs: 120_000,
  evaluateTimeoutMs: 600_000,
  maxInterviewerChars: 8_000
};

/** Defaults filled in, each value clamped to [1, maximum]. */
export function resolveLimits(overrides: Partial<EngineLimits> = {}): EngineLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof EngineLimits)[]) {
    const value = overrides[key];
    if (value === undefined || !Number.isFinite(value)) continue;
    out[key] = Math.min(MAX_LIMITS[key], Math.max(1, Math.floor(value)));
  }
  return out;
}
