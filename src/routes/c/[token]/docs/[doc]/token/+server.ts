import { STAFF_ONLY_DOCS, DEFAULT_DOC_NAME, MAX_DOC_TOKEN_TTL_SECONDS } from '$realtime/index';
import { AppError } from '$lib/server/errors';
import { endpoint, json, methodNotAllowed } from '$lib/server/http/api';
import {
  candidateParticipant,
  candidateReadOnly,
  candidateView
} from '$lib/server/services/session-access';

/**
 * The candidate's way into a collaborative document: their invite link is
 * the credential. Staff-only documents (the interviewer's notes) are refused
 * here and again by the realtime server; after the session ends the token is
 * read-only.
 */
export const POST = endpoint(async (event) => {
  const doc = event.params.doc ?? '';
  if (!DEFAULT_DOC_NAME.test(doc)) {
    throw new AppError('not_found', `There is no document "${doc.slice(0, 40)}".`);
  }
  const { runtime } = event.locals;
  const view = await candidateView(runtime, event.params.token ?? '');
  if (STAFF_ONLY_DOCS.has(doc)) {
    throw new AppError('forbidden', 'This document is for the interviewers only.');
  }
  const participant = candidateParticipant(view);
  const readOnly = candidateReadOnly(view);
  const token = await runtime.docTokens.mint({
    interviewId: view.interview.id,
    doc,
    role: 'candidate',
    participantId: participant.id,
    name: participant.name,
    ...(readOnly ? { readOnly: true } : {})
  });
  return json(
    {
      token,
      path: `/yjs/${view.interview.id}/${doc}?token=${token}`,
      expiresInSeconds: MAX_DOC_TOKEN_TTL_SECONDS,
      readOnly
    },
    201
  );
});

export const fallback = methodNotAllowed;
