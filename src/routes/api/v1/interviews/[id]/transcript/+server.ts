import { idSchema } from '$lib/contracts/common';
import { endpoint, json, methodNotAllowed, readParam } from '$lib/server/http/api';
import { aiDeps } from '$lib/server/http/ai-stream';
import { finishIfExpired, staffTranscript } from '$lib/server/services/ai-interview';
import { getInterview } from '$lib/server/services/interviews';
import { authorize } from '$lib/server/services/principal';

/** The AI interview's transcript (who said what, for which question and rubric dimension) and its evaluation. */
export const GET = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'interviews:read');
  const interviewId = readParam(event.params.id, idSchema, 'interview');
  const { runtime, log } = event.locals;
  await getInterview(runtime.db, principal.organizationId, interviewId);
  // An interview the candidate abandoned is wrapped up (and scored) once past its deadline.
  await finishIfExpired(aiDeps(runtime, log), interviewId);
  return json(await staffTranscript(runtime.db, interviewId));
});

export const fallback = methodNotAllowed;
