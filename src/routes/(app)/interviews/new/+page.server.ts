import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { interviewKindSchema } from '$lib/contracts/interviews';
import { emailSchema, nameSchema } from '$lib/contracts/common';
import { actionFailure, formValues, parseForm } from '$lib/server/http/forms';
import { candidateLink } from '$lib/server/http/links';
import { createInterview } from '$lib/server/services/interviews';
import { authorize, can } from '$lib/server/services/principal';
import type { Actions, PageServerLoad } from './$types';

const formSchema = z.object({
  kind: interviewKindSchema,
  title: nameSchema,
  candidateName: nameSchema,
  candidateEmail: emailSchema,
  /** From <input type="datetime-local"> plus the browser's UTC offset in minutes. */
  scheduledAt: z.string().trim().optional(),
  tzOffset: z.coerce.number().int().min(-900).max(900).optional()
});

/** "2026-11-24T10:30" in the browser's zone → an ISO instant. */
function toInstant(local: string | undefined, offsetMinutes: number | undefined): string | null {
  if (!local) return null;
  const base = new Date(`${local}:00Z`);
  if (Number.isNaN(base.getTime())) return null;
  return new Date(base.getTime() + (offsetMinutes ?? 0) * 60_000).toISOString();
}

export const load: PageServerLoad = async ({ locals }) => {
  if (!can(locals.principal!, 'interviews:write')) {
    error(403, 'Your role can read interviews but not create them.');
  }
  return {};
};

export const actions: Actions = {
  default: async ({ request, locals, ...event }) => {
    const values = await formValues(request);
    const form = parseForm(formSchema, values);
    if (!form.ok) return form.failure;
    const data = form.data;
    try {
      const principal = authorize(locals.principal, 'interviews:write');
      const { interview, token } = await createInterview(
        locals.runtime.db,
        principal,
        {
          kind: data.kind,
          title: data.title,
          candidate: { name: data.candidateName, email: data.candidateEmail },
          scheduledAt: toInstant(data.scheduledAt, data.tzOffset)
        },
        { ttlHours: locals.runtime.env.INVITE_TTL_HOURS }
      );
      return {
        created: {
          id: interview.id,
          title: interview.title,
          kind: interview.kind,
          candidateName: interview.candidate.name,
          candidateEmail: interview.candidate.email,
          expiresAt: interview.link.expiresAt,
          link: candidateLink({ request, locals, ...event }, token)
        }
      };
    } catch (err) {
      return actionFailure(err, locals.log, values);
    }
  }
};
