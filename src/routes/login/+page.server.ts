import { fail, redirect } from '@sveltejs/kit';
import { loginSchema } from '$lib/contracts/users';
import { applyAuthCookies } from '$lib/server/auth';
import { isAppError } from '$lib/server/errors';
import { actionFailure, formValues, parseForm } from '$lib/server/http/forms';
import { findUserByEmail } from '$lib/server/services/users';
import type { Actions, PageServerLoad } from './$types';

/** Only same-site paths: an open redirect would let a phishing link bounce through us. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/interviews';
}

export const load: PageServerLoad = async ({ locals, url }) => {
  if (locals.principal) redirect(303, safeNext(url.searchParams.get('next')));
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    const { request, locals, cookies, url } = event;
    const { runtime, log } = locals;
    const values = await formValues(request);
    const form = parseForm(loginSchema, values);
    if (!form.ok) return form.failure;
    const { email, password } = form.data;
    const keys = { email, address: event.getClientAddress() };
    // 400 like any other form the user must correct; the message does not say which field.
    const failed = () =>
      fail(400, { message: 'That email and password do not match.', values: { email } });
    try {
      runtime.loginLimiter.check(keys);
      const user = await findUserByEmail(runtime.db, email);
      if (!user || !user.active) {
        runtime.loginLimiter.fail(keys);
        return failed();
      }
      let headers: Headers;
      try {
        ({ headers } = await runtime.auth.api.signInEmail({
          body: { email, password, rememberMe: true },
          headers: request.headers,
          returnHeaders: true
        }));
      } catch {
        runtime.loginLimiter.fail(keys);
        return failed();
      }
      runtime.loginLimiter.succeed(keys);
      applyAuthCookies(headers, cookies);
      log.info({ userId: user.id }, 'signed in');
      if (user.mustChangePassword) redirect(303, '/settings?first=1');
      redirect(303, safeNext(url.searchParams.get('next')));
    } catch (error) {
      if (isAppError(error)) return actionFailure(error, log, { email });
      throw error;
    }
  }
};
