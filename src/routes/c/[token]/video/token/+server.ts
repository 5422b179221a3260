import { endpoint, json, methodNotAllowed } from '$lib/server/http/api';
import { candidateVideoConfig } from '$lib/server/services/video';

/** The candidate's way into the call: the invite link is the credential, consent comes first. */
export const POST = endpoint(async (event) =>
  json(await candidateVideoConfig(event.locals.runtime, event.params.token ?? ''), 201)
);

export const fallback = methodNotAllowed;
