import { error } from '@sveltejs/kit';
import { statusOf, isAppError } from '$lib/server/errors';
import { actionFailure } from '$lib/server/http/forms';
import { recordConsent, resolveCandidateLink } from '$lib/server/services/interviews';
import type { Actions, PageServerLoad } from './$types';

/** Only what a candidate may see: never notes, scores or other candidates. */
function candidateView(view: Awaited<ReturnType<typeof resolveCandidateLink>>) {
  const { interview } = view;
  return {
    organizationName: view.organizationName,
    title: interview.title,
    kind: interview.kind,
    status: interview.status,
    scheduledAt: interview.scheduledAt,
    candidateName: interview.candidate.name,
    consentAt: interview.consentAt,
    linkExpiresAt: interview.link.expiresAt
  };
}

export const load: PageServerLoad = async ({ locals, params }) => {
  try {
    return { view: candidateView(await resolveCandidateLink(locals.runtime.db, params.token)) };
  } catch (err) {
    if (isAppError(err)) error(statusOf[err.code], { message: err.message, code: err.code });
    throw err;
  }
};

export const actions: Actions = {
  consent: async ({ locals, params }) => {
    try {
      await recordConsent(locals.runtime.db, params.token);
      return { consented: true };
    } catch (err) {
      return actionFailure(err, locals.log);
    }
  }
};
