import { createInterviewSchema, listInterviewsQuerySchema } from '$lib/contracts/interviews';
import { endpoint, json, readJson, readQuery, methodNotAllowed } from '$lib/server/http/api';
import { candidateLink } from '$lib/server/http/links';
import { createInterview, listInterviews } from '$lib/server/services/interviews';
import { authorize } from '$lib/server/services/principal';

export const GET = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'interviews:read');
  const query = readQuery(event.url, listInterviewsQuerySchema);
  const { items, total } = await listInterviews(
    event.locals.runtime.db,
    principal.organizationId,
    query
  );
  return json({ items, page: query.page, pageSize: query.pageSize, total });
});

export const POST = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'interviews:write');
  const body = await readJson(event.request, createInterviewSchema, 'interview');
  const { runtime } = event.locals;
  const { interview, token } = await createInterview(runtime.db, principal, body, {
    ttlHours: runtime.env.INVITE_TTL_HOURS
  });
  return json({ interview, candidateLink: candidateLink(event, token) }, 201, {
    location: `/api/v1/interviews/${interview.id}`
  });
});

export const fallback = methodNotAllowed;
