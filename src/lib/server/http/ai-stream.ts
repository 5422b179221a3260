import type { RequestEvent } from '@sveltejs/kit';
import type { AiInterviewView, AnswerStreamEvent } from '../../contracts/ai-interview';
import { isAppError } from '../errors';
import type { Runtime } from '../runtime';
import type { AiInterviewDeps, AnswerHooks } from '../services/ai-interview';
import { json } from './api';

export function aiDeps(runtime: Runtime, log: AiInterviewDeps['log']): AiInterviewDeps {
  return {
    db: runtime.db,
    engine: runtime.interviewer.engine,
    plan: runtime.interviewer.plan,
    providerName: runtime.interviewer.providerName,
    yjs: runtime.yjs,
    log
  };
}

/**
 * Answers with the turn's result: plain JSON, or with `Accept: application/x-ndjson` one event
 * per line as the interviewer's message streams in. The turn is not tied to the request: if
 * the candidate's connection drops, it finishes and is stored, and a reload shows it.
 */
export async function turnResponse(
  event: RequestEvent,
  run: (hooks: AnswerHooks) => Promise<AiInterviewView>
): Promise<Response> {
  const streaming = (event.request.headers.get('accept') ?? '').includes('application/x-ndjson');
  if (!streaming) return json(await run({}));
  const encoder = new TextEncoder();
  const { log } = event.locals;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (message: AnswerStreamEvent) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(JSON.stringify(message) + '\n'));
        } catch {
          open = false;
        }
      };
      try {
        const view = await run({
          onCandidate: (message) => send({ type: 'candidate', message }),
          onToken: (text) => send({ type: 'token', text }),
          onDiscard: () => send({ type: 'token', text: '' })
        });
        send({ type: 'view', view });
      } catch (error) {
        if (isAppError(error)) {
          send({ type: 'error', error: { code: error.code, message: error.message } });
        } else {
          const errorId = crypto.randomUUID();
          log.error({ err: error, errorId }, 'AI interview turn failed');
          send({
            type: 'error',
            error: {
              code: 'internal_error',
              message: `Something went wrong on our side (error id ${errorId}). Your message is saved; reload to continue.`
            }
          });
        }
      }
      if (open) controller.close();
    },
    cancel() {
      // The reader went away; the turn carries on and is stored.
    }
  });
  return new Response(stream, {
    status: 200,
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' }
  });
}
