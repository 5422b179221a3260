import { listInterviewsQuerySchema } from '$lib/contracts/interviews';
import { listInterviews } from '$lib/server/services/interviews';
import { can } from '$lib/server/services/principal';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const principal = locals.principal!;
  const parsed = listInterviewsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  // A hand-edited URL with a bad filter shows everything rather than an error page.
  const query = parsed.success ? parsed.data : listInterviewsQuerySchema.parse({});
  const { items, total } = await listInterviews(locals.runtime.db, principal.organizationId, query);
  return {
    items,
    total,
    query,
    canWrite: can(principal, 'interviews:write')
  };
};
