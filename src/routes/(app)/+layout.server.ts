import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url }) => {
  const principal = locals.principal;
  if (!principal) {
    redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (principal.mustChangePassword && url.pathname !== '/settings') {
    redirect(303, '/settings?first=1');
  }
  return {
    me: {
      id: principal.userId,
      name: principal.name,
      email: principal.email,
      role: principal.role,
      mustChangePassword: principal.mustChangePassword
    }
  };
};
