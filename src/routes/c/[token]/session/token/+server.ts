import { endpoint, json, methodNotAllowed } from '$lib/server/http/api';
import { candidateSessionGrant } from '$lib/server/services/session-access';

/** The candidate's way into their live session: the invite link is the credential. */
export const POST = endpoint(async (event) =>
  json(await candidateSessionGrant(event.locals.runtime, event.params.token ?? ''), 201)
);

export const fallback = methodNotAllowed;
