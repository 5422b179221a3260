import { endpoint, methodNotAllowed, readJson } from '$lib/server/http/api';
import { aiDeps, turnResponse } from '$lib/server/http/ai-stream';
import { answerAiInterview } from '$lib/server/services/ai-interview';
import { candidateView } from '$lib/server/services/session-access';
import { z } from 'zod';

const bodySchema = z.record(z.string(), z.unknown());

/** The candidate's answer; the interviewer's reply streams back (NDJSON) or comes whole (JSON). */
export const POST = endpoint(async (event) => {
  const { runtime, log } = event.locals;
  const view = await candidateView(runtime, event.params.token ?? '');
  const body = await readJson(event.request, bodySchema, 'message');
  return turnResponse(event, (hooks) => answerAiInterview(aiDeps(runtime, log), view, body, hooks));
});

export const fallback = methodNotAllowed;
