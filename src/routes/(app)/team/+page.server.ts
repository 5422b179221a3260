import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { inviteSchema } from '$lib/contracts/users';
import { AppError } from '$lib/server/errors';
import { actionFailure, formValues, parseForm } from '$lib/server/http/forms';
import { invitationLink } from '$lib/server/http/links';
import { inviteColleague, listOpenInvitations } from '$lib/server/services/invitations';
import { authorize } from '$lib/server/services/principal';
import { listUsers, setUserActive } from '$lib/server/services/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const principal = locals.principal!;
  if (principal.role !== 'admin') error(403, 'Only admins manage the team.');
  const { db } = locals.runtime;
  const [users, invitations] = await Promise.all([
    listUsers(db, principal.organizationId),
    listOpenInvitations(db, principal.organizationId)
  ]);
  return {
    users: users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })),
    invitations: invitations.map((i) => ({
      ...i,
      expiresAt: i.expiresAt.toISOString(),
      createdAt: i.createdAt.toISOString()
    })),
    meId: principal.userId
  };
};

const activeSchema = z.object({ userId: z.string().min(1), active: z.enum(['true', 'false']) });

export const actions: Actions = {
  invite: async (event) => {
    const { request, locals } = event;
    const values = await formValues(request);
    const form = parseForm(inviteSchema, values);
    if (!form.ok) return form.failure;
    try {
      const principal = authorize(locals.principal, 'team:manage');
      const { token, invitation } = await inviteColleague(locals.runtime.db, {
        organizationId: principal.organizationId,
        invitedBy: principal.userId,
        ...form.data
      });
      return { invited: { email: invitation.email, link: invitationLink(event, token) } };
    } catch (err) {
      return actionFailure(err, locals.log, values);
    }
  },
  setActive: async ({ request, locals }) => {
    const form = parseForm(activeSchema, await formValues(request));
    if (!form.ok) return form.failure;
    try {
      const principal = authorize(locals.principal, 'team:manage');
      if (form.data.userId === principal.userId) {
        throw new AppError('conflict', 'You cannot deactivate yourself.');
      }
      await setUserActive(locals.runtime.db, {
        organizationId: principal.organizationId,
        userId: form.data.userId,
        active: form.data.active === 'true',
        actor: { type: 'user', id: principal.userId }
      });
      return { updated: true };
    } catch (err) {
      return actionFailure(err, locals.log);
    }
  }
};
