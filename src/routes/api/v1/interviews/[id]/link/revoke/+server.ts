import { idSchema } from '$lib/contracts/common';
import { endpoint, json, readParam, methodNotAllowed } from '$lib/server/http/api';
import { revokeInviteLink } from '$lib/server/services/interviews';
import { authorize } from '$lib/server/services/principal';

export const POST = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'interviews:write');
  const id = readParam(event.params.id, idSchema, 'interview');
  return json(await revokeInviteLink(event.locals.runtime.db, principal, id));
});

export const fallback = methodNotAllowed;
