import { z } from 'zod';

/** The worker's configuration (`npm run worker`), its only reader of process.env. */
const workerEnvSchema = z.object({
  /** Redis shared with the app nodes. Required: the worker exists to consume its queue. */
  REDIS_URL: z.url({ message: 'must be a redis:// URL' }),
  /** Redis key prefix; must match the app's. Default tandem. */
  REDIS_PREFIX: z.string().trim().min(1).default('tandem'),
  /** Concurrent runs on this machine. Default: its CPU count. */
  SANDBOX_SLOTS: z.coerce.number().int().min(1).max(256).optional(),
  /** First host uid of the slot pool; give each worker on one host its own range. Default 60001. */
  SANDBOX_UID_BASE: z.coerce.number().int().min(1000).max(4_000_000_000).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
});

export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export function parseWorkerEnv(
  source: Record<string, string | undefined> = process.env
): WorkerEnv {
  const result = workerEnvSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
  throw new Error(`Invalid worker configuration:\n${problems.join('\n')}`);
}
