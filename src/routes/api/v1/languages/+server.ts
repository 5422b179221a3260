import { endpoint, json, methodNotAllowed } from '$lib/server/http/api';
import { requireStaff } from '$lib/server/services/principal';

/** The languages the runners offer, with the Debian package for any that is missing. */
export const GET = endpoint(async (event) => {
  requireStaff(event.locals.principal);
  return json({ items: await event.locals.runtime.runner.languages() });
});

export const fallback = methodNotAllowed;
