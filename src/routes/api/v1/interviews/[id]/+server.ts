import { idSchema } from '$lib/contracts/common';
import { endpoint, json, readParam, methodNotAllowed } from '$lib/server/http/api';
import { getInterview } from '$lib/server/services/interviews';
import { authorize } from '$lib/server/services/principal';

export const GET = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'interviews:read');
  const id = readParam(event.params.id, idSchema, 'interview');
  return json(await getInterview(event.locals.runtime.db, principal.organizationId, id));
});

export const fallback = methodNotAllowed;
