import { randomUUID } from 'node:crypto';
import type { ChatMessage, Question } from './contracts';
import type { LoadedSession, SessionStore, StoredSessionEvent } from './store';

export type MemorySessionStore = SessionStore & {
  chat: Map<string, ChatMessage[]>;
  events: Map<string, StoredSessionEvent[]>;
};

/** A session store in memory, for tests and the benchmark. */
export function createMemorySessionStore(library: Question[] = []): MemorySessionStore {
  const chat = new Map<string, ChatMessage[]>();
  const events = new Map<string, StoredSessionEvent[]>();
  const listOf = <T>(map: Map<string, T[]>, key: string): T[] => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    return list;
  };
  return {
    chat,
    events,
    async load(interviewId): Promise<LoadedSession> {
      return {
        chat: [...listOf(chat, interviewId)],
        events: [...listOf(events, interviewId)],
        runs: [],
        library
      };
    },
    async appendChat(interviewId, message) {
      const stored: ChatMessage = { ...message, id: randomUUID(), at: new Date().toISOString() };
      listOf(chat, interviewId).push(stored);
      return stored;
    },
    async appendEvent(interviewId, event) {
      const stored: StoredSessionEvent = {
        ...event,
        id: randomUUID(),
        at: new Date().toISOString()
      };
      listOf(events, interviewId).push(stored);
      return stored;
    }
  };
}
