import { isStaffRole, participantColor, type PadRun, type SessionSnapshot } from './contracts';
import type { SessionState } from './session-state';
import { participantsOf, type LiveSession } from './sessions';
import type { SessionClaims } from './tokens';

/** The session as one participant may see it: candidates never get the library or integrity markers. */
export function snapshotFor(
  state: SessionState,
  session: LiveSession,
  claims: SessionClaims,
  socketId: string
): SessionSnapshot {
  const staff = isStaffRole(claims.role);
  const member = session.members.get(claims.participantId);
  return {
    you: {
      id: claims.participantId,
      name: claims.name,
      role: claims.role,
      color: participantColor(claims.participantId),
      state: member?.sockets.get(socketId) ?? 'active'
    },
    participants: participantsOf(session),
    chat: state.chat,
    revealed: state.revealed,
    library: staff ? state.library : [],
    timer: state.timer,
    settings: state.settings,
    endedAt: state.endedAt,
    runs: state.runs.map((run: PadRun) => ({ ...run })),
    integrity: staff ? state.integrity : []
  };
}
