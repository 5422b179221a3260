import {
  SESSION_TOKEN_TTL_SECONDS,
  participantColor,
  type SessionRole
} from '../../../../realtime/events/index';
import { AppError } from '../errors';
import type { Runtime } from '../runtime';
import { getInterview, resolveCandidateLink, type CandidateView } from './interviews';
import { can, type StaffPrincipal } from './principal';

export type SessionGrant = {
  token: string;
  expiresInSeconds: number;
  role: SessionRole;
  /** True for viewers, and for the candidate once the session has ended. */
  readOnly: boolean;
  participant: { id: string; name: string; color: string };
};

/** A staff member's way into a live session of their organization (404 for any other). */
export async function staffSessionGrant(
  runtime: Runtime,
  principal: StaffPrincipal,
  interviewId: string
): Promise<SessionGrant> {
  await getInterview(runtime.db, principal.organizationId, interviewId);
  const role: SessionRole = can(principal, 'interviews:write') ? 'interviewer' : 'hiring_manager';
  const participant = { id: principal.userId, name: principal.name };
  const token = await runtime.sessionTokens.mint({
    interviewId,
    role,
    participantId: participant.id,
    name: participant.name
  });
  return grant(token, role, role !== 'interviewer', participant);
}

/** The candidate's invite link is their credential; they must have agreed to the recording notice. */
export async function candidateView(runtime: Runtime, linkToken: string): Promise<CandidateView> {
  const view = await resolveCandidateLink(runtime.db, linkToken);
  if (!view.interview.consentAt) {
    throw new AppError(
      'consent_required',
      'Read and accept the recording notice on your interview page first.'
    );
  }
  return view;
}

export function candidateParticipant(view: CandidateView) {
  return { id: `candidate:${view.interview.candidate.id}`, name: view.interview.candidate.name };
}

/** Once the session has ended the candidate may still look, never edit. */
export function candidateReadOnly(view: CandidateView): boolean {
  return view.interview.status === 'completed';
}

export async function candidateSessionGrant(
  runtime: Runtime,
  linkToken: string
): Promise<SessionGrant> {
  const view = await candidateView(runtime, linkToken);
  const participant = candidateParticipant(view);
  const token = await runtime.sessionTokens.mint({
    interviewId: view.interview.id,
    role: 'candidate',
    participantId: participant.id,
    name: participant.name
  });
  return grant(token, 'candidate', candidateReadOnly(view), participant);
}

function grant(
  token: string,
  role: SessionRole,
  readOnly: boolean,
  participant: { id: string; name: string }
): SessionGrant {
  return {
    token,
    expiresInSeconds: SESSION_TOKEN_TTL_SECONDS,
    role,
    readOnly,
    participant: { ...participant, color: participantColor(participant.id) }
  };
}
