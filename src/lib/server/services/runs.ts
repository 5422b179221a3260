import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import {
  isSandboxError,
  parseRequest,
  type OutputChunk,
  type RunQueue,
  type RunResult
} from '../../../../sandbox/index';
import type { Run } from '../../contracts/runs';
import type { Database } from '../db/client';
import { interviews, runs } from '../db/schema';
import { AppError, validationError, type ErrorCode } from '../errors';
import type { Logger } from '../log';
import type { StaffPrincipal } from './principal';

const appFields = z.object({ interviewId: z.uuid().optional() }).loose();

/** The sandbox's own codes, in the app's vocabulary. */
const sandboxCodes: Record<string, ErrorCode> = {
  invalid_request: 'validation_failed',
  unknown_language: 'unknown_language',
  limit_exceeded: 'limit_exceeded',
  language_unavailable: 'language_unavailable',
  no_runner: 'runner_unavailable',
  closed: 'runner_unavailable',
  unsupported_host: 'runner_unavailable'
};

export function toAppError(error: unknown): unknown {
  if (!isSandboxError(error)) return error;
  return new AppError(sandboxCodes[error.code] ?? 'bad_request', sentence(error.message), {
    cause: error
  });
}

export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function toRun(row: typeof runs.$inferSelect): Run {
  return {
    id: row.id,
    interviewId: row.interviewId,
    language: row.language,
    entry: row.entry,
    status: row.status,
    exitCode: row.exitCode,
    signal: row.signal,
    wallMs: row.wallMs,
    cpuMs: row.cpuMs,
    memoryKb: row.memoryKb,
    stdout: row.stdout ?? '',
    stderr: row.stderr ?? '',
    stdoutTruncated: row.stdoutTruncated,
    stderrTruncated: row.stderrTruncated,
    compileOutput: row.compileOutput ?? '',
    cancelled: row.cancelled,
    tests: row.tests ?? null,
    limits: row.limits ?? null,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null
  };
}

export function resultColumns(result: RunResult) {
  return {
    status: result.status,
    exitCode: result.exitCode,
    signal: result.signal,
    wallMs: Math.round(result.wallMs),
    cpuMs: Math.round(result.cpuMs),
    memoryKb: Math.round(result.memoryKb),
    // PostgreSQL text cannot hold NUL bytes; programs may print them.
    stdout: result.stdout.replaceAll('\0', '\uFFFD'),
    stderr: result.stderr.replaceAll('\0', '\uFFFD'),
    stdoutTruncated: result.stdoutTruncated,
    stderrTruncated: result.stderrTruncated,
    compileOutput: result.compileOutput.replaceAll('\0', '\uFFFD'),
    cancelled: result.cancelled,
    tests: result.tests ?? null,
    limits: { ...result.limits },
    finishedAt: new Date()
  };
}

export type RunDeps = { db: Database; runner: RunQueue; log: Logger };

/**
 * Executes a run and records it with its outcome. The row is written once the
 * run has finished, so a request the sandbox refuses leaves nothing behind.
 */
export async function executeRun(
  deps: RunDeps,
  principal: StaffPrincipal,
  body: unknown,
  options: { onOutput?: (chunk: OutputChunk) => void; signal?: AbortSignal } = {}
): Promise<Run> {
  const parsed = appFields.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, 'run');
  const { interviewId, ...request } = parsed.data;
  if (interviewId) {
    const [owned] = await deps.db
      .select({ id: interviews.id })
      .from(interviews)
      .where(
        and(eq(interviews.id, interviewId), eq(interviews.organizationId, principal.organizationId))
      );
    if (!owned) throw new AppError('not_found', 'That interview was not found.');
  }
  const id = randomUUID();
  const createdAt = new Date();
  let result: RunResult;
  try {
    result = await deps.runner.run(request, options);
  } catch (error) {
    throw toAppError(error);
  }
  const valid = parseRequest(request);
  const [row] = await deps.db
    .insert(runs)
    .values({
      id,
      organizationId: principal.organizationId,
      interviewId: interviewId ?? null,
      userId: principal.userId,
      language: valid.language,
      entry: valid.entry ?? null,
      files: valid.files,
      stdin: typeof valid.stdin === 'string' ? valid.stdin.replaceAll('\0', '\uFFFD') : null,
      priority: valid.priority,
      createdAt,
      ...resultColumns(result)
    })
    .returning();
  if (!row) throw new AppError('internal_error', 'The run was not recorded.');
  deps.log.info({ runId: id, status: result.status, wallMs: result.wallMs }, 'run finished');
  return toRun(row);
}

export async function getRun(db: Database, organizationId: string, id: string): Promise<Run> {
  const [row] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.id, id), eq(runs.organizationId, organizationId)));
  if (!row) throw new AppError('not_found', 'That run was not found.');
  return toRun(row);
}
