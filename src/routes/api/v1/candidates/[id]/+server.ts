import { idSchema } from '$lib/contracts/common';
import { endpoint, json, readParam, methodNotAllowed } from '$lib/server/http/api';
import { getCandidate, toCandidate } from '$lib/server/services/candidates';
import { listCandidateInterviews } from '$lib/server/services/interviews';
import { authorize } from '$lib/server/services/principal';

export const GET = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'candidates:read');
  const id = readParam(event.params.id, idSchema, 'candidate');
  const { db } = event.locals.runtime;
  const candidate = await getCandidate(db, principal.organizationId, id);
  const interviews = await listCandidateInterviews(db, principal.organizationId, id);
  return json({ ...toCandidate(candidate), interviews });
});

export const fallback = methodNotAllowed;
