import { endpoint, methodNotAllowed } from '$lib/server/http/api';
import { aiDeps, turnResponse } from '$lib/server/http/ai-stream';
import { resumeAiInterview } from '$lib/server/services/ai-interview';
import { candidateView } from '$lib/server/services/session-access';

/** Finishes a reply that a restart interrupted; answers the current view when nothing is pending. */
export const POST = endpoint(async (event) => {
  const { runtime, log } = event.locals;
  const view = await candidateView(runtime, event.params.token ?? '');
  return turnResponse(event, (hooks) => resumeAiInterview(aiDeps(runtime, log), view, hooks));
});

export const fallback = methodNotAllowed;
