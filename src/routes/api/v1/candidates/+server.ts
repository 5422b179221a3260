import { createCandidateSchema, listCandidatesQuerySchema } from '$lib/contracts/interviews';
import { endpoint, json, readJson, readQuery, methodNotAllowed } from '$lib/server/http/api';
import { createCandidate, listCandidates, toCandidate } from '$lib/server/services/candidates';
import { authorize } from '$lib/server/services/principal';

export const GET = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'candidates:read');
  const query = readQuery(event.url, listCandidatesQuerySchema);
  const { items, total } = await listCandidates(
    event.locals.runtime.db,
    principal.organizationId,
    query
  );
  return json({ items: items.map(toCandidate), page: query.page, pageSize: query.pageSize, total });
});

export const POST = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'candidates:write');
  const body = await readJson(event.request, createCandidateSchema, 'candidate');
  const row = await createCandidate(event.locals.runtime.db, {
    organizationId: principal.organizationId,
    ...body
  });
  return json(toCandidate(row), 201, { location: `/api/v1/candidates/${row.id}` });
});

export const fallback = methodNotAllowed;
