import { error } from '@sveltejs/kit';
import { AI_REPORT_DEPENDENCY, staffAiView } from '$lib/ai/staff';
import { idSchema } from '$lib/contracts/common';
import { isAppError } from '$lib/server/errors';
import { actionFailure } from '$lib/server/http/forms';
import { candidateLink } from '$lib/server/http/links';
import { aiDeps } from '$lib/server/http/ai-stream';
import { finishIfExpired, staffTranscript } from '$lib/server/services/ai-interview';
import { listAuditFor } from '$lib/server/services/audit';
import {
  cancelInterview,
  getInterview,
  revokeInviteLink,
  rotateInviteLink
} from '$lib/server/services/interviews';
import { authorize, can } from '$lib/server/services/principal';
import type { Actions, PageServerLoad } from './$types';

function interviewId(raw: string): string {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) error(404, 'That interview was not found.');
  return parsed.data;
}

export const load: PageServerLoad = async ({ locals, params, depends }) => {
  const principal = locals.principal!;
  const id = interviewId(params.id);
  const { db } = locals.runtime;
  depends(AI_REPORT_DEPENDENCY);
  try {
    let interview = await getInterview(db, principal.organizationId, id);
    // An AI interview the candidate left is wrapped up (and scored) once past its deadline, as
    // the transcript API does; its status changes then.
    if (
      interview.kind === 'async' &&
      (await finishIfExpired(aiDeps(locals.runtime, locals.log), id))
    ) {
      interview = await getInterview(db, principal.organizationId, id);
    }
    const [history, aiReport] = await Promise.all([
      listAuditFor(db, {
        organizationId: principal.organizationId,
        targetType: 'interview',
        targetId: id
      }),
      // After the organization check above: the transcript and evaluation of an AI interview.
      interview.kind === 'async' ? staffTranscript(db, id).then(staffAiView) : null
    ]);
    return { interview, history, aiReport, canWrite: can(principal, 'interviews:write') };
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') error(404, err.message);
    throw err;
  }
};

export const actions: Actions = {
  cancel: async ({ locals, params }) => {
    try {
      const principal = authorize(locals.principal, 'interviews:write');
      await cancelInterview(locals.runtime.db, principal, interviewId(params.id));
      return { done: 'cancelled' };
    } catch (err) {
      return actionFailure(err, locals.log);
    }
  },
  revoke: async ({ locals, params }) => {
    try {
      const principal = authorize(locals.principal, 'interviews:write');
      await revokeInviteLink(locals.runtime.db, principal, interviewId(params.id));
      return { done: 'revoked' };
    } catch (err) {
      return actionFailure(err, locals.log);
    }
  },
  rotate: async (event) => {
    const { locals, params } = event;
    try {
      const principal = authorize(locals.principal, 'interviews:write');
      const { token } = await rotateInviteLink(
        locals.runtime.db,
        principal,
        interviewId(params.id),
        {
          ttlHours: locals.runtime.env.INVITE_TTL_HOURS
        }
      );
      return { done: 'rotated', link: candidateLink(event, token) };
    } catch (err) {
      return actionFailure(err, locals.log);
    }
  }
};
