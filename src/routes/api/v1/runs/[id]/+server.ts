import { idSchema } from '$lib/contracts/common';
import { endpoint, json, readParam, methodNotAllowed } from '$lib/server/http/api';
import { authorize } from '$lib/server/services/principal';
import { getRun } from '$lib/server/services/runs';

export const GET = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'runs:read');
  const id = readParam(event.params.id, idSchema, 'run');
  return json(await getRun(event.locals.runtime.db, principal.organizationId, id));
});

export const fallback = methodNotAllowed;
