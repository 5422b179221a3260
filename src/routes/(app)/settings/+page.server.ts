import { z } from 'zod';
import { changePasswordSchema, createTokenSchema } from '$lib/contracts/users';
import { applyAuthCookies } from '$lib/server/auth';
import { AppError } from '$lib/server/errors';
import { actionFailure, formValues, parseForm } from '$lib/server/http/forms';
import { createApiToken, listApiTokens, revokeApiToken } from '$lib/server/services/api-tokens';
import { requireStaff } from '$lib/server/services/principal';
import { clearMustChangePassword } from '$lib/server/services/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const tokens = await listApiTokens(locals.runtime.db, locals.principal!.userId);
  return {
    tokens: tokens.map((t) => ({
      ...t,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null
    }))
  };
};

export const actions: Actions = {
  password: async ({ request, locals, cookies }) => {
    const form = parseForm(changePasswordSchema, await formValues(request));
    if (!form.ok) return form.failure;
    try {
      const principal = requireStaff(locals.principal);
      let headers: Headers;
      try {
        ({ headers } = await locals.runtime.auth.api.changePassword({
          body: {
            currentPassword: form.data.currentPassword,
            newPassword: form.data.newPassword,
            revokeOtherSessions: true
          },
          headers: request.headers,
          returnHeaders: true
        }));
      } catch {
        throw new AppError('unauthorized', 'The current password is not right.');
      }
      applyAuthCookies(headers, cookies);
      await clearMustChangePassword(locals.runtime.db, principal.userId);
      return { passwordChanged: true };
    } catch (err) {
      return actionFailure(err, locals.log);
    }
  },
  createToken: async ({ request, locals }) => {
    const form = parseForm(createTokenSchema, await formValues(request));
    if (!form.ok) return form.failure;
    try {
      const principal = requireStaff(locals.principal);
      const { token } = await createApiToken(locals.runtime.db, {
        userId: principal.userId,
        organizationId: principal.organizationId,
        name: form.data.name
      });
      return { token };
    } catch (err) {
      return actionFailure(err, locals.log);
    }
  },
  revokeToken: async ({ request, locals }) => {
    const form = parseForm(z.object({ id: z.uuid() }), await formValues(request));
    if (!form.ok) return form.failure;
    try {
      const principal = requireStaff(locals.principal);
      await revokeApiToken(locals.runtime.db, {
        userId: principal.userId,
        organizationId: principal.organizationId,
        tokenId: form.data.id
      });
      return { revoked: true };
    } catch (err) {
      return actionFailure(err, locals.log);
    }
  }
};
