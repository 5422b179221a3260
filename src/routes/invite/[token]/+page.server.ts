import { error, redirect } from '@sveltejs/kit';
import { acceptInviteSchema } from '$lib/contracts/users';
import { roleLabels } from '$lib/contracts/common';
import { statusOf, isAppError } from '$lib/server/errors';
import { actionFailure, formValues, parseForm } from '$lib/server/http/forms';
import { acceptInvitation, findInvitation } from '$lib/server/services/invitations';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  try {
    const invitation = await findInvitation(locals.runtime.db, params.token);
    return {
      invitation: {
        email: invitation.email,
        name: invitation.name,
        role: roleLabels[invitation.role],
        organizationName: invitation.organizationName
      }
    };
  } catch (err) {
    if (isAppError(err)) error(statusOf[err.code], err.message);
    throw err;
  }
};

export const actions: Actions = {
  default: async ({ request, locals, params }) => {
    const values = await formValues(request);
    const form = parseForm(acceptInviteSchema, values);
    if (!form.ok) return form.failure;
    try {
      await acceptInvitation(locals.runtime, {
        token: params.token,
        name: form.data.name,
        password: form.data.password
      });
    } catch (err) {
      return actionFailure(err, locals.log, values);
    }
    redirect(303, '/login?joined=1');
  }
};
