import { error } from '@sveltejs/kit';
import { idSchema } from '$lib/contracts/common';
import { isAppError } from '$lib/server/errors';
import { getInterview } from '$lib/server/services/interviews';
import type { PageServerLoad } from './$types';

/** The staff side of the live pad: the interview, if it is this organization's. */
export const load: PageServerLoad = async ({ locals, params }) => {
  const principal = locals.principal!;
  const parsed = idSchema.safeParse(params.id);
  if (!parsed.success) error(404, 'That interview was not found.');
  try {
    const interview = await getInterview(locals.runtime.db, principal.organizationId, parsed.data);
    return {
      interview: {
        id: interview.id,
        title: interview.title,
        kind: interview.kind,
        status: interview.status,
        candidateName: interview.candidate.name
      }
    };
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') error(404, err.message);
    throw err;
  }
};
