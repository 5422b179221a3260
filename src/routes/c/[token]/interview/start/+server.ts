import { endpoint, json, methodNotAllowed } from '$lib/server/http/api';
import { aiDeps } from '$lib/server/http/ai-stream';
import { startAiInterview } from '$lib/server/services/ai-interview';
import { candidateView } from '$lib/server/services/session-access';

/** Starts the AI interview (idempotent): the greeting and the first question. */
export const POST = endpoint(async (event) => {
  const view = await candidateView(event.locals.runtime, event.params.token ?? '');
  return json(await startAiInterview(aiDeps(event.locals.runtime, event.locals.log), view));
});

export const fallback = methodNotAllowed;
