import { endpoint, json, methodNotAllowed } from '$lib/server/http/api';
import { requireStaff } from '$lib/server/services/principal';

export const GET = endpoint(async (event) => {
  const { userId, organizationId, role, name, email, via } = requireStaff(event.locals.principal);
  return json({ id: userId, organizationId, role, name, email, via });
});

export const fallback = methodNotAllowed;
