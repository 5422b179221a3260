import { idSchema } from '$lib/contracts/common';
import { endpoint, json, readParam, methodNotAllowed } from '$lib/server/http/api';
import { candidateLink } from '$lib/server/http/links';
import { rotateInviteLink } from '$lib/server/services/interviews';
import { authorize } from '$lib/server/services/principal';

/** Issues a new candidate link; the previous one stops working. */
export const POST = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'interviews:write');
  const id = readParam(event.params.id, idSchema, 'interview');
  const { runtime } = event.locals;
  const { interview, token } = await rotateInviteLink(runtime.db, principal, id, {
    ttlHours: runtime.env.INVITE_TTL_HOURS
  });
  return json({ interview, candidateLink: candidateLink(event, token) }, 201);
});

export const fallback = methodNotAllowed;
