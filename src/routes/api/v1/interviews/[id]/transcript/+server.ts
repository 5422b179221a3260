import { idSchema } from '$lib/contracts/common';
import { endpoint, json, methodNotAllowed, readParam } from '$lib/server/http/api';
import { staffTranscript } from '$lib/server/services/ai-interview';
import { getInterview } from '$lib/server/services/interviews';
import { authorize } from '$lib/server/services/principal';

/** The AI interview's transcript (who said what, for which question and rubric dimension) and its evaluation. */
export const GET = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'interviews:read');
  const interviewId = readParam(event.params.id, idSchema, 'interview');
  const { db } = event.locals.runtime;
  await getInterview(db, principal.organizationId, interviewId);
  return json(await staffTranscript(db, interviewId));
});

export const fallback = methodNotAllowed;
