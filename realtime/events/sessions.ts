import type { Logger } from '../logger';
import type { Participant, RtcPeer, SessionRole } from './contracts';
import { participantColor } from './contracts';
import { replaySession, type SessionState } from './session-state';
import type { SessionStore } from './store';

type Presence = 'active' | 'idle';

/** Someone in the session, with one entry per open socket (tabs, reconnects). */
type Member = { id: string; name: string; role: SessionRole; sockets: Map<string, Presence> };

export type ActiveRun = { participantId: string; role: SessionRole; controller: AbortController };

/** One interview's session while anyone is connected. */
export type LiveSession = {
  interviewId: string;
  ready: Promise<SessionState>;
  members: Map<string, Member>;
  activeRuns: Map<string, ActiveRun>;
  /** Sockets in the video call, by socket id. */
  call: Map<string, RtcPeer>;
  /** Everything in flight (appends, runs); awaited before unloading or closing. */
  pending: Set<Promise<unknown>>;
};

export function participantsOf(session: LiveSession): Participant[] {
  return [...session.members.values()]
    .map((m) => ({
      id: m.id,
      name: m.name,
      role: m.role,
      color: participantColor(m.id),
      state: [...m.sockets.values()].includes('active') ? ('active' as const) : ('idle' as const)
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Adds a socket; true when it is the participant's first (they joined). */
export function addSocket(
  session: LiveSession,
  who: { id: string; name: string; role: SessionRole },
  socketId: string
): boolean {
  let member = session.members.get(who.id);
  const first = !member;
  if (!member) {
    member = { ...who, sockets: new Map() };
    session.members.set(who.id, member);
  }
  member.sockets.set(socketId, 'active');
  return first;
}

/** Removes a socket; true when it was the participant's last (they left). */
export function removeSocket(
  session: LiveSession,
  participantId: string,
  socketId: string
): boolean {
  const member = session.members.get(participantId);
  if (!member) return false;
  member.sockets.delete(socketId);
  if (member.sockets.size > 0) return false;
  session.members.delete(participantId);
  return true;
}

/** Sets one socket's presence; true when the participant's overall state changed. */
export function setPresence(
  session: LiveSession,
  participantId: string,
  socketId: string,
  state: Presence
): boolean {
  const member = session.members.get(participantId);
  if (!member || !member.sockets.has(socketId)) return false;
  const before = [...member.sockets.values()].includes('active');
  member.sockets.set(socketId, state);
  return before !== [...member.sockets.values()].includes('active');
}

type Entry = { session: LiveSession; refs: number; idle: NodeJS.Timeout | null };

/** Loaded sessions by interview: one load each, unloaded a while after the last socket leaves. */
export function createSessions({
  store,
  logger,
  idleUnloadMs
}: {
  store: SessionStore;
  logger: Logger;
  idleUnloadMs: number;
}) {
  const entries = new Map<string, Entry>();

  const unload = async (entry: Entry): Promise<void> => {
    entry.idle = null;
    await Promise.allSettled([...entry.session.pending]);
    if (entry.refs > 0 || entries.get(entry.session.interviewId) !== entry) return;
    if (entry.session.activeRuns.size > 0) {
      schedule(entry);
      return;
    }
    entries.delete(entry.session.interviewId);
    logger.debug({ interviewId: entry.session.interviewId }, 'unloaded idle session');
  };
  const schedule = (entry: Entry): void => {
    if (entry.idle || entry.refs > 0) return;
    entry.idle = setTimeout(() => void unload(entry), idleUnloadMs);
    entry.idle.unref();
  };

  return {
    acquire(interviewId: string): LiveSession {
      let entry = entries.get(interviewId);
      if (!entry) {
        const session: LiveSession = {
          interviewId,
          ready: store.load(interviewId).then(replaySession),
          members: new Map(),
          activeRuns: new Map(),
          call: new Map(),
          pending: new Set()
        };
        const created: Entry = { session, refs: 0, idle: null };
        entry = created;
        entries.set(interviewId, created);
        // A failed load is forgotten so the next socket asks the store again.
        session.ready.catch(() => {
          if (entries.get(interviewId) === created) entries.delete(interviewId);
        });
      }
      entry.refs += 1;
      if (entry.idle) clearTimeout(entry.idle);
      entry.idle = null;
      return entry.session;
    },
    release(session: LiveSession): void {
      const entry = entries.get(session.interviewId);
      if (!entry || entry.session !== session) return;
      entry.refs -= 1;
      schedule(entry);
    },
    get(interviewId: string): LiveSession | undefined {
      return entries.get(interviewId)?.session;
    },
    all(): LiveSession[] {
      return [...entries.values()].map((e) => e.session);
    },
    async closeAll(): Promise<void> {
      const all = [...entries.values()];
      entries.clear();
      for (const e of all) {
        if (e.idle) clearTimeout(e.idle);
        for (const run of e.session.activeRuns.values()) run.controller.abort();
      }
      await Promise.allSettled(all.flatMap((e) => [...e.session.pending]));
    }
  };
}

export type Sessions = ReturnType<typeof createSessions>;

/** Tracks a promise until it settles, so unload and close can wait for it. */
export function track<T>(session: LiveSession, promise: Promise<T>): Promise<T> {
  session.pending.add(promise);
  const done = () => session.pending.delete(promise);
  promise.then(done, done);
  return promise;
}
