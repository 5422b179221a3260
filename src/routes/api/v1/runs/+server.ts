import type { RunStreamEvent } from '$lib/contracts/runs';
import { isAppError } from '$lib/server/errors';
import { endpoint, json, readJson, methodNotAllowed } from '$lib/server/http/api';
import { authorize } from '$lib/server/services/principal';
import { executeRun } from '$lib/server/services/runs';
import { z } from 'zod';

const bodySchema = z.record(z.string(), z.unknown());

/**
 * Runs code in the sandbox and answers with the finished run (201). With
 * `Accept: application/x-ndjson` the output streams as it is produced, one
 * JSON event per line, ending with the result.
 */
export const POST = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'runs:create');
  const body = await readJson(event.request, bodySchema, 'run');
  const { runtime, log } = event.locals;
  const deps = { db: runtime.db, runner: runtime.runner, log };
  const streaming = (event.request.headers.get('accept') ?? '').includes('application/x-ndjson');
  if (!streaming) {
    const run = await executeRun(deps, principal, body, { signal: event.request.signal });
    return json(run, 201, { location: `/api/v1/runs/${run.id}` });
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (message: RunStreamEvent) =>
        controller.enqueue(encoder.encode(JSON.stringify(message) + '\n'));
      try {
        const run = await executeRun(deps, principal, body, {
          signal: event.request.signal,
          onOutput: (chunk) => send({ type: 'output', stream: chunk.stream, data: chunk.data })
        });
        send({ type: 'result', run });
      } catch (error) {
        if (isAppError(error)) {
          send({ type: 'error', error: { code: error.code, message: error.message } });
        } else {
          const errorId = crypto.randomUUID();
          log.error({ err: error, errorId }, 'streamed run failed');
          send({
            type: 'error',
            error: { code: 'internal_error', message: `Something went wrong (${errorId}).` }
          });
        }
      }
      controller.close();
    }
  });
  return new Response(stream, {
    status: 200,
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' }
  });
});

export const fallback = methodNotAllowed;
