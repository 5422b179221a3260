import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { z } from 'zod';
import { iceServersSchema } from '../contracts/video';

/**
 * The only reader of `process.env` in the app. Every option is documented
 * where it is declared, with its default and unit.
 */
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url().optional())
  .optional();

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const envSchema = z
  .object({
    /** TCP port to listen on. 0 picks a free port (tests). Default 3000. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Interface to bind. Default 0.0.0.0. */
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    /** Public origin, e.g. https://tandem.example.com. Used in invite links and for Secure cookies. */
    ORIGIN: optionalUrl,
    /** Where Tandem keeps its files: embedded PostgreSQL, the generated secret. Default ./data. */
    DATA_DIR: z.string().trim().min(1).default('./data'),
    /** PostgreSQL connection string. Unset: an embedded PostgreSQL is started under DATA_DIR/pg. */
    DATABASE_URL: optionalUrl,
    /** Redis connection string. Set it to scale out: runs then go to `npm run worker` processes. */
    REDIS_URL: optionalUrl,
    /** Redis key prefix shared by the app nodes and workers of one deployment. Default tandem. */
    REDIS_PREFIX: z.string().trim().min(1).default('tandem'),
    /** Concurrent sandboxed runs in this process (without REDIS_URL). Default: the CPU count. */
    SANDBOX_SLOTS: z.coerce.number().int().min(1).max(256).optional(),
    /** First host uid of the sandbox slots; one range per process on a host. Default 60001. */
    SANDBOX_UID_BASE: z.coerce.number().int().min(1000).max(4_000_000_000).optional(),
    /** How long a run may wait for a worker (with REDIS_URL) before failing, in ms. Default 30000. */
    RUN_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    /** Secret for session signing, at least 32 characters. Unset: generated once into DATA_DIR/secret. */
    SESSION_SECRET: optionalString
      .pipe(z.string().min(32, 'must be at least 32 characters').optional())
      .optional(),
    /** pino level. Default info. */
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** Lifetime of a candidate invite link, in hours. Default 168 (7 days), maximum 2160 (90 days). */
    INVITE_TTL_HOURS: z.coerce.number().int().min(1).max(2160).default(168),
    /** Failed sign-ins allowed per email and per address in LOGIN_WINDOW_SECONDS. Default 5. */
    LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
    /** Window of the sign-in rate limit, in seconds. Default 300. */
    LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(300),
    /** Create the demo organization and admin on an empty database. Default true. */
    SEED_DEMO: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    /** OpenAI-compatible endpoint for the AI interviewer. Unset: the offline engine. */
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalUrl,
    OPENAI_MODEL: optionalString,
    /** json_schema (default) or json_object, for servers without strict structured output. */
    OPENAI_STRUCTURED_OUTPUT: z.enum(['json_schema', 'json_object']).optional(),
    /** Milliseconds per LLM attempt. Default 20000, maximum 120000. */
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).optional(),
    /** Retries of 408/409/429/5xx and connection errors. Default 2, maximum 5. */
    OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(5).optional(),
    /** The interview template new AI interviews follow (content/templates/<id>.json). */
    INTERVIEW_TEMPLATE: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, 'must be a template id such as backend-async')
      .default('backend-async'),
    /** LiveKit for video. Unset: peer-to-peer WebRTC. All three or none. */
    LIVEKIT_URL: optionalUrl,
    LIVEKIT_API_KEY: optionalString,
    LIVEKIT_API_SECRET: optionalString,
    /**
     * STUN/TURN servers for peer-to-peer video, a JSON array of RTCIceServer
     * ({ urls, username?, credential? }), e.g. a coturn. Default [] (none: on a
     * LAN peers connect directly, and nothing outside is contacted).
     */
    ICE_SERVERS: z
      .string()
      .default('[]')
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array of ICE servers' });
          return z.NEVER;
        }
      })
      .pipe(iceServersSchema),
    /**
     * off (default), or room: record each interview's LiveKit room with a Room
     * Composite Egress into the storage the LiveKit Egress service is configured with.
     */
    LIVEKIT_EGRESS: z.enum(['off', 'room']).default('off'),
    /** Lifetime of a LiveKit access token, in seconds. Default 600, maximum 3600. */
    VIDEO_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(600)
  })
  .superRefine((env, ctx) => {
    const livekit = [env.LIVEKIT_URL, env.LIVEKIT_API_KEY, env.LIVEKIT_API_SECRET];
    const set = livekit.filter((v) => v !== undefined).length;
    if (set !== 0 && set !== 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['LIVEKIT_URL'],
        message: 'set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET together, or none of them'
      });
    }
    if (env.LIVEKIT_EGRESS !== 'off' && set !== 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['LIVEKIT_EGRESS'],
        message: 'recording needs LiveKit: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET'
      });
    }
    if (env.OPENAI_BASE_URL && !env.OPENAI_MODEL) {
      ctx.addIssue({
        code: 'custom',
        path: ['OPENAI_MODEL'],
        message: 'required when OPENAI_BASE_URL is set'
      });
    }
  });

export type Env = z.infer<typeof envSchema> & { SESSION_SECRET: string; DATA_DIR: string };

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

type Source = Record<string, string | undefined>;

/** Parses the environment; throws EnvError listing every problem at once. */
export function parseEnv(source: Source = process.env): z.infer<typeof envSchema> {
  // `PORT=` in a shell or unit file means "not set", not zero.
  const set = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const result = envSchema.safeParse(set);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`)
    );
  }
  return result.data;
}

/** Reads the secret from DATA_DIR/secret, creating it (mode 0600) the first time. */
function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** The full runtime environment: parsed, DATA_DIR created and absolute, secret resolved. */
export function loadEnv(source: Source = process.env): Env {
  const parsed = parseEnv(source);
  const dataDir = resolve(parsed.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return {
    ...parsed,
    DATA_DIR: dataDir,
    SESSION_SECRET: parsed.SESSION_SECRET ?? loadOrCreateSecret(dataDir)
  };
}

/**
 * adapter-node reads its own variables at import time. Tandem enforces the
 * API body limit itself (with a JSON error), so the adapter must not cut
 * bodies first.
 */
export function prepareAdapterEnv(target: Source = process.env): void {
  target.BODY_SIZE_LIMIT = 'Infinity';
  // Without ORIGIN, adapter-node assumes https; server.ts states the real protocol here.
  if (!target.ORIGIN) target.PROTOCOL_HEADER = PROTOCOL_HEADER;
}

/** Set by server.ts on every request from the socket itself, so a client cannot forge it. */
export const PROTOCOL_HEADER = 'x-tandem-protocol';
