/**
 * The pure parts of a call, shared by both modes and tested without a
 * browser: who is polite, who is shown, in which order, and what a peer
 * connection's state means for the person looking at the tile.
 */
import type { SessionRole } from '$realtime/events/contracts';
import type { CallSnapshot, CallTile, LinkState } from './types';

/**
 * Perfect negotiation needs exactly one polite side per pair
 * (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example): the peer
 * whose id sorts higher yields when both offer at once. Ids are socket ids,
 * so a reload (a new id) may swap the roles, which is fine: each pair only
 * needs to agree.
 */
export function isPolite(selfId: string, peerId: string): boolean {
  return selfId > peerId;
}

/** Only the people in the interview are shown; hiring managers and observers watch, unseen. */
export function isShown(role: SessionRole): boolean {
  return role === 'interviewer' || role === 'candidate';
}

const ROLE_ORDER: Record<SessionRole, number> = {
  interviewer: 0,
  candidate: 1,
  hiring_manager: 2,
  observer: 3
};

/** Interviewers first, then the candidate, then by name: tiles do not jump around. */
export function orderTiles(tiles: CallTile[]): CallTile[] {
  return [...tiles].sort(
    (a, b) =>
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id)
  );
}

/** Splits remote peers into the shown tiles and the count of hidden watchers. */
export function visibleRemotes(tiles: CallTile[]): { remotes: CallTile[]; watching: number } {
  const remotes = orderTiles(tiles.filter((tile) => isShown(tile.role)));
  return { remotes, watching: tiles.length - remotes.length };
}

/**
 * What an RTCPeerConnection's state means on a tile. `failed` is first
 * answered with an ICE restart, so it only shows as failed once restarts are
 * exhausted.
 */
export function linkStateOf(
  connectionState: RTCPeerConnectionState,
  restartsLeft: boolean
): LinkState {
  switch (connectionState) {
    case 'connected':
      return 'connected';
    case 'disconnected':
      return 'reconnecting';
    case 'failed':
      return restartsLeft ? 'reconnecting' : 'failed';
    case 'closed':
      return 'failed';
    default:
      return 'connecting';
  }
}

/** A short line for the dock's header. */
export function statusLine(snapshot: CallSnapshot): string {
  switch (snapshot.status) {
    case 'idle':
    case 'left':
      return 'Not in the call';
    case 'joining':
      return 'Joining…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'failed':
      return 'Not connected';
    case 'connected': {
      const others = snapshot.remotes.length;
      if (others === 0) return 'Waiting for the others…';
      return `${others + 1} in the call`;
    }
  }
}

export function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .map((part) => part[0] ?? '')
      .join('')
      .slice(0, 2)
      .toUpperCase() || '?'
  );
}
