import { idSchema } from '$lib/contracts/common';
import { AppError } from '$lib/server/errors';
import { endpoint, json, methodNotAllowed, readParam } from '$lib/server/http/api';
import { getInterview } from '$lib/server/services/interviews';
import { authorize, can } from '$lib/server/services/principal';
import { DEFAULT_DOC_NAME, MAX_DOC_TOKEN_TTL_SECONDS } from '$realtime/index';

/**
 * A short-lived token that opens one document of one interview over
 * /yjs/<interviewId>/<doc>. Hiring managers get read-only tokens.
 */
export const POST = endpoint(async (event) => {
  const principal = authorize(event.locals.principal, 'interviews:read');
  const interviewId = readParam(event.params.id, idSchema, 'interview');
  const doc = event.params.doc ?? '';
  if (!DEFAULT_DOC_NAME.test(doc)) {
    throw new AppError('not_found', `There is no document "${doc.slice(0, 40)}".`);
  }
  const { runtime } = event.locals;
  // 404 for other organizations' interviews, like every other endpoint.
  await getInterview(runtime.db, principal.organizationId, interviewId);
  const token = await runtime.docTokens.mint({
    interviewId,
    doc,
    role: can(principal, 'interviews:write') ? 'interviewer' : 'hiring_manager',
    participantId: principal.userId,
    name: principal.name
  });
  return json(
    {
      token,
      path: `/yjs/${interviewId}/${doc}?token=${token}`,
      expiresInSeconds: MAX_DOC_TOKEN_TTL_SECONDS,
      readOnly: !can(principal, 'interviews:write')
    },
    201
  );
});

export const fallback = methodNotAllowed;
