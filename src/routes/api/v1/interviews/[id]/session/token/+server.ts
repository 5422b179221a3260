import { idSchema } from '$lib/contracts/common';
import { endpoint, json, methodNotAllowed, readParam } from '$lib/server/http/api';
import { authorize } from '$lib/server/services/principal';
import { staffSessionGrant } from '$lib/server/services/session-access';

/**
 * A short-lived token that admits the caller to the interview's live session
 * (socket.io at /session). Hiring managers join read-only.
 */
export const POST = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'interviews:read');
  const interviewId = readParam(event.params.id, idSchema, 'interview');
  return json(await staffSessionGrant(event.locals.runtime, principal, interviewId), 201);
});

export const fallback = methodNotAllowed;
