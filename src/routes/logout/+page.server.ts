import { redirect } from '@sveltejs/kit';
import { applyAuthCookies } from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => redirect(303, '/login');

export const actions: Actions = {
  default: async ({ request, locals, cookies }) => {
    try {
      const { headers } = await locals.runtime.auth.api.signOut({
        headers: request.headers,
        returnHeaders: true
      });
      applyAuthCookies(headers, cookies);
    } catch (err) {
      // A session that is already gone is a successful sign-out.
      locals.log.debug({ err }, 'sign-out without a session');
    }
    redirect(303, '/login');
  }
};
