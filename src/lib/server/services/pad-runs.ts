import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { SessionProblem, type PadRun, type RunGateway } from '../../../../realtime/events/index';
import type { YjsServer } from '../../../../realtime/index';
import { isSandboxError, parseRequest, type RunQueue } from '../../../../sandbox/index';
import { CODE_DOC, readCode } from '../../pad/code-doc';
import type { Database } from '../db/client';
import { interviews, runs } from '../db/schema';
import type { Logger } from '../log';
import type { RunRequest } from '../../../../sandbox/index';
import { resultColumns, sentence } from './runs';

export function toPadRun(row: typeof runs.$inferSelect): PadRun {
  const running = row.finishedAt === null;
  return {
    id: row.id,
    byId: row.participantId ?? row.userId ?? 'api',
    byName: row.participantName ?? 'API',
    language: row.language,
    entry: row.entry ?? '',
    status: running
      ? 'running'
      : row.cancelled
        ? 'cancelled'
        : row.status === 'queued'
          ? 'running'
          : row.status,
    exitCode: row.exitCode,
    wallMs: row.wallMs,
    memoryKb: row.memoryKb,
    stdout: row.stdout ?? '',
    stderr: row.stderr ?? '',
    compileOutput: row.compileOutput ?? '',
    startedAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null
  };
}

/** Sandbox refusals in words a participant can act on. */
const refusals: Record<string, string> = {
  language_unavailable: 'This language is not installed on the runner.',
  no_runner: 'No runner is available right now; try again shortly.',
  closed: 'The runner is restarting; try again shortly.',
  unsupported_host: 'Code cannot run on this server.'
};

/**
 * Runs what the shared code document holds right now, so everyone sees the
 * code that ran; records the run with its author, then its outcome.
 */
export function createPadRunGateway({
  db,
  runner,
  yjs,
  log
}: {
  db: Database;
  runner: RunQueue;
  yjs: YjsServer;
  log: Logger;
}): RunGateway {
  return {
    async start(context, input, hooks) {
      const [interview] = await db
        .select({ organizationId: interviews.organizationId })
        .from(interviews)
        .where(eq(interviews.id, context.interviewId));
      if (!interview) throw new SessionProblem('not_found', 'This interview no longer exists.');
      const doc = new Y.Doc();
      Y.applyUpdate(doc, await yjs.read({ interviewId: context.interviewId, doc: CODE_DOC }));
      const code = readCode(doc);
      doc.destroy();
      const request = toRequest(() =>
        parseRequest({
          language: code.language,
          files: code.files,
          entry: code.entry,
          stdin: input.stdin ?? ''
        })
      );
      const [row] = await db
        .insert(runs)
        .values({
          organizationId: interview.organizationId,
          interviewId: context.interviewId,
          userId: context.participantId.startsWith('candidate:') ? null : context.participantId,
          participantId: context.participantId,
          participantName: context.participantName,
          language: request.language,
          entry: request.entry ?? null,
          files: request.files,
          stdin: input.stdin ? input.stdin.replaceAll('\0', '\uFFFD') : null,
          priority: 'interactive',
          status: 'running'
        })
        .returning();
      if (!row) throw new Error('run not recorded');
      hooks.onStarted(toPadRun(row));
      let columns;
      try {
        const result = await runner.run(request, {
          signal: hooks.signal,
          onOutput: hooks.onOutput
        });
        columns = resultColumns(result);
      } catch (error) {
        const known = isSandboxError(error) ? refusals[error.code] : undefined;
        log.warn({ err: error, runId: row.id }, 'pad run could not run');
        columns = {
          status: 'internal_error' as const,
          stderr: known ?? 'The run failed on our side. Try again.',
          finishedAt: new Date()
        };
      }
      const [finished] = await db.update(runs).set(columns).where(eq(runs.id, row.id)).returning();
      if (!finished) throw new Error('run outcome not recorded');
      log.info({ runId: row.id, status: finished.status }, 'pad run finished');
      return toPadRun(finished);
    }
  };
}

function toRequest(parse: () => RunRequest): RunRequest {
  try {
    return parse();
  } catch (error) {
    if (isSandboxError(error))
      throw new SessionProblem('validation_failed', sentence(error.message));
    throw error;
  }
}
