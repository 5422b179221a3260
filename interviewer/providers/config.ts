/**
 * The OpenAI provider's configuration from environment values. The server's env.ts reads
 * process.env and hands the values here (STYLE.md: nothing else reads process.env).
 * No OPENAI_* value set means no LLM: the offline engine runs the interviews.
 */
import { z } from 'zod';
import {
  MAX_MAX_RETRIES,
  MAX_TIMEOUT_MS,
  STRUCTURED_OUTPUT_MODES,
  type OpenAIProviderOptions
} from './options';

export type OpenAIEnv = {
  /** Needed for api.openai.com; optional for local servers (Ollama needs none). */
  OPENAI_API_KEY?: string;
  /** Any OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (Ollama). Default: OpenAI. */
  OPENAI_BASE_URL?: string;
  /** The model name as the endpoint knows it; required once any other OPENAI_* value is set. */
  OPENAI_MODEL?: string;
  /** json_schema (default) or json_object for servers without strict structured output. */
  OPENAI_STRUCTURED_OUTPUT?: string;
  /** Milliseconds per attempt (default 20000, at most 120000). */
  OPENAI_TIMEOUT_MS?: string;
  /** Retries of 408/409/429/5xx and connection errors (default 2, at most 5). */
  OPENAI_MAX_RETRIES?: string;
};

export type OpenAIProviderConfig = Pick<
  OpenAIProviderOptions,
  'apiKey' | 'baseURL' | 'model' | 'structuredOutput' | 'timeoutMs' | 'maxRetries'
>;

/** Sent when no key is configured: local servers ignore the Authorization header. */
export const NO_API_KEY = 'no-key';

// `OPENAI_API_KEY=` in a .env file means unset, not an empty key.
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

const envSchema = z.object({
  OPENAI_API_KEY: optional(z.string().trim()),
  OPENAI_BASE_URL: optional(
    z.url({ protocol: /^https?$/, error: 'OPENAI_BASE_URL must be an http(s) URL' })
  ),
  OPENAI_MODEL: optional(z.string().trim()),
  OPENAI_STRUCTURED_OUTPUT: optional(
    z.enum(STRUCTURED_OUTPUT_MODES, {
      error: `OPENAI_STRUCTURED_OUTPUT must be one of ${STRUCTURED_OUTPUT_MODES.join(', ')}`
    })
  ),
  OPENAI_TIMEOUT_MS: optional(
    z.coerce
      .number()
      .int()
      .min(1, { error: 'OPENAI_TIMEOUT_MS must be at least 1' })
      .max(MAX_TIMEOUT_MS, { error: `OPENAI_TIMEOUT_MS must be at most ${MAX_TIMEOUT_MS}` })
  ),
  OPENAI_MAX_RETRIES: optional(
    z.coerce
      .number()
      .int()
      .min(0, { error: 'OPENAI_MAX_RETRIES must be 0 or more' })
      .max(MAX_MAX_RETRIES, { error: `OPENAI_MAX_RETRIES must be at most ${MAX_MAX_RETRIES}` })
  )
});

/**
 * The provider configuration, or null when no LLM is configured. Throws an Error listing every
 * problem when the values are inconsistent, so the process refuses to start (STYLE.md).
 */
export function providerConfigFromEnv(values: OpenAIEnv): OpenAIProviderConfig | null {
  const parsed = envSchema.safeParse(values);
  if (!parsed.success) {
    throw new Error(
      `Invalid LLM configuration:\n${parsed.error.issues.map((i) => `- ${i.message}`).join('\n')}`
    );
  }
  const env = parsed.data;
  // The tuning values alone do not turn the LLM on.
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL && !env.OPENAI_MODEL) return null;
  const problems: string[] = [];
  if (!env.OPENAI_MODEL) {
    problems.push(
      'OPENAI_MODEL is required when an LLM is configured (OPENAI_API_KEY or OPENAI_BASE_URL)'
    );
  }
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    problems.push(
      'OPENAI_API_KEY is required for api.openai.com (set OPENAI_BASE_URL for a local server)'
    );
  }
  if (problems.length > 0 || !env.OPENAI_MODEL) {
    throw new Error(`Invalid LLM configuration:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
  return {
    apiKey: env.OPENAI_API_KEY ?? NO_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
    model: env.OPENAI_MODEL,
    structuredOutput: env.OPENAI_STRUCTURED_OUTPUT,
    timeoutMs: env.OPENAI_TIMEOUT_MS,
    maxRetries: env.OPENAI_MAX_RETRIES
  };
}
