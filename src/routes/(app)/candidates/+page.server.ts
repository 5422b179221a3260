import { listCandidatesQuerySchema } from '$lib/contracts/interviews';
import { listCandidates, toCandidate } from '$lib/server/services/candidates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const parsed = listCandidatesQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  const query = parsed.success ? parsed.data : listCandidatesQuerySchema.parse({});
  const { items, total } = await listCandidates(
    locals.runtime.db,
    locals.principal!.organizationId,
    query
  );
  return { items: items.map(toCandidate), total, query };
};
