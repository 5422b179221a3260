import { error } from '@sveltejs/kit';
import { idSchema } from '$lib/contracts/common';
import { isAppError } from '$lib/server/errors';
import { getCandidate, toCandidate } from '$lib/server/services/candidates';
import { listCandidateInterviews } from '$lib/server/services/interviews';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const id = idSchema.safeParse(params.id);
  if (!id.success) error(404, 'That candidate was not found.');
  const orgId = locals.principal!.organizationId;
  try {
    const candidate = await getCandidate(locals.runtime.db, orgId, id.data);
    const interviews = await listCandidateInterviews(locals.runtime.db, orgId, id.data);
    return { candidate: toCandidate(candidate), interviews };
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') error(404, err.message);
    throw err;
  }
};
