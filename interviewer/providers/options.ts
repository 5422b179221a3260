/**
 * Options of the OpenAI provider, each with its default and maximum (STYLE.md: every limit has
 * a default and a maximum; a caller may lower a limit, never raise it past the maximum).
 */
import type { ClientOptions } from 'openai';
import { z } from 'zod';

export const STRUCTURED_OUTPUT_MODES = ['json_schema', 'json_object'] as const;
export type StructuredOutputMode = (typeof STRUCTURED_OUTPUT_MODES)[number];

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_TIMEOUT_MS = 20_000;
export const MAX_TIMEOUT_MS = 120_000;
export const DEFAULT_EVALUATE_TIMEOUT_MS = 120_000;
export const MAX_EVALUATE_TIMEOUT_MS = 600_000;
export const DEFAULT_MAX_RETRIES = 2;
export const MAX_MAX_RETRIES = 5;
export const DEFAULT_MAX_MESSAGE_CHARS = 2_000;
export const MAX_MAX_MESSAGE_CHARS = 8_000;

/** The part of a pino logger the provider uses (object first, like realtime's Logger). */
export interface ProviderLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type OpenAIProviderOptions = {
  /** API key; local servers that need none get a placeholder (config.ts). */
  apiKey: string;
  /** An OpenAI-compatible endpoint ending in /v1. Default: https://api.openai.com/v1. */
  baseURL?: string;
  model: string;
  /**
   * json_schema (default): the server enforces our schema (OpenAI, vLLM, Ollama >= 0.5).
   * json_object: the server only guarantees JSON; the schema goes into the prompt instead.
   * Either way every answer is validated with zod.
   */
  structuredOutput?: StructuredOutputMode;
  /**
   * Milliseconds a turn's HTTP attempt may wait for the response to start, and the longest
   * silence between two streamed chunks. Default 20000, at most 120000. A whole turn, retries
   * included, never takes longer than timeoutMs x (maxRetries + 1) plus the SDK's backoff
   * between retries (call-guard.ts); a retry-after longer than timeoutMs is not waited for.
   */
  timeoutMs?: number;
  /** The same for an evaluation (not streamed: the whole answer). Default 120000, at most 600000. */
  evaluateTimeoutMs?: number;
  /** Retries of 408, 409, 429, 5xx and connection errors, by the SDK. Default 2, at most 5. */
  maxRetries?: number;
  /** Longest interviewer message accepted, in characters. Default 2000, at most 8000 (as the engine's maxInterviewerChars). */
  maxMessageChars?: number;
  /** Sent as max_completion_tokens when set. Unset by default: reasoning models spend tokens before answering. */
  maxOutputTokens?: number;
  logger?: ProviderLogger;
  /** A fetch implementation for the SDK (tests, proxies). Default: the global fetch. */
  fetch?: ClientOptions['fetch'];
};

const bounded = (name: string, min: number, max: number) =>
  z
    .number()
    .int()
    .min(min, { error: `${name} must be at least ${min}` })
    .max(max, { error: `${name} must be at most ${max}` });

const optionsSchema = z.object({
  apiKey: z.string().min(1, { error: 'apiKey is required (use a placeholder for local servers)' }),
  baseURL: z.url({ protocol: /^https?$/, error: 'baseURL must be an http(s) URL' }).optional(),
  model: z.string().trim().min(1, { error: 'model is required' }),
  structuredOutput: z.enum(STRUCTURED_OUTPUT_MODES).default('json_schema'),
  timeoutMs: bounded('timeoutMs', 1, MAX_TIMEOUT_MS).default(DEFAULT_TIMEOUT_MS),
  evaluateTimeoutMs: bounded('evaluateTimeoutMs', 1, MAX_EVALUATE_TIMEOUT_MS).default(
    DEFAULT_EVALUATE_TIMEOUT_MS
  ),
  maxRetries: bounded('maxRetries', 0, MAX_MAX_RETRIES).default(DEFAULT_MAX_RETRIES),
  maxMessageChars: bounded('maxMessageChars', 1, MAX_MAX_MESSAGE_CHARS).default(
    DEFAULT_MAX_MESSAGE_CHARS
  ),
  maxOutputTokens: bounded('maxOutputTokens', 1, 1_000_000).optional()
});

export type ResolvedOptions = z.output<typeof optionsSchema> &
  Pick<OpenAIProviderOptions, 'logger' | 'fetch'>;

/** Defaults applied; throws an Error listing every invalid option. */
export function resolveOptions(options: OpenAIProviderOptions): ResolvedOptions {
  const { logger, fetch, ...rest } = options;
  const parsed = optionsSchema.safeParse(rest);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `- ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid OpenAI provider options:\n${problems.join('\n')}`);
  }
  return { ...parsed.data, logger, fetch };
}
