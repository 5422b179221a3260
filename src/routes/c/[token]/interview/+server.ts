import { endpoint, json, methodNotAllowed } from '$lib/server/http/api';
import { aiDeps } from '$lib/server/http/ai-stream';
import { getAiInterview } from '$lib/server/services/ai-interview';
import { candidateView } from '$lib/server/services/session-access';

/** The candidate's AI interview as it stands: transcript, sections, deadline. */
export const GET = endpoint(async (event) => {
  const view = await candidateView(event.locals.runtime, event.params.token ?? '');
  return json(await getAiInterview(aiDeps(event.locals.runtime, event.locals.log), view));
});

export const fallback = methodNotAllowed;
