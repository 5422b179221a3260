import { z } from 'zod';

export const runStatuses = [
  'queued',
  'running',
  'ok',
  'compile_error',
  'runtime_error',
  'timeout',
  'memory_limit',
  'output_limit',
  'internal_error'
] as const;

export const runSchema = z.object({
  id: z.uuid(),
  interviewId: z.uuid().nullable(),
  language: z.string(),
  entry: z.string().nullable(),
  status: z.enum(runStatuses),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  wallMs: z.number().int().nullable(),
  cpuMs: z.number().int().nullable(),
  memoryKb: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  stdoutTruncated: z.boolean(),
  stderrTruncated: z.boolean(),
  compileOutput: z.string(),
  cancelled: z.boolean(),
  tests: z.array(z.unknown()).nullable(),
  limits: z.record(z.string(), z.number()).nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable()
});
export type Run = z.infer<typeof runSchema>;

/** One line of an `application/x-ndjson` run response. */
export type RunStreamEvent =
  | { type: 'output'; stream: 'stdout' | 'stderr'; data: string }
  | { type: 'result'; run: Run }
  | { type: 'error'; error: { code: string; message: string } };
