import { idSchema } from '$lib/contracts/common';
import { endpoint, json, methodNotAllowed, readParam } from '$lib/server/http/api';
import { authorize } from '$lib/server/services/principal';
import { staffVideoConfig } from '$lib/server/services/video';

/**
 * How the caller joins the interview's call: peer-to-peer with the ICE
 * servers, or a short-lived LiveKit token. Hiring managers watch, unseen.
 */
export const POST = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'interviews:read');
  const interviewId = readParam(event.params.id, idSchema, 'interview');
  return json(await staffVideoConfig(event.locals.runtime, principal, interviewId), 201);
});

export const fallback = methodNotAllowed;
