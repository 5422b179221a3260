import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import {
  INTEGRITY_KINDS,
  SESSION_ROLES,
  type ChatMessage,
  type Question,
  type SessionRole,
  type SessionStore,
  type SessionEventKind,
  type StoredSessionEvent
} from '../../../../realtime/events/index';
import { VIDEO_EVENT_KINDS } from '../../contracts/video';
import type { Database } from '../db/client';
import { events, interviews, messages, runs } from '../db/schema';
import { toPadRun } from './pad-runs';

const LOAD_CHAT = 500;
const LOAD_RUNS = 30;
const staffOnlyKinds: ReadonlySet<string> = new Set([
  ...INTEGRITY_KINDS,
  'recording_started',
  'recording_ended'
]);

/** A live session's chat and timeline in PostgreSQL. */
export function createPgSessionStore(db: Database, library: Question[]): SessionStore {
  return {
    async load(interviewId) {
      const [chatRows, eventRows, runRows] = await Promise.all([
        db
          .select()
          .from(messages)
          .where(and(eq(messages.interviewId, interviewId), eq(messages.channel, 'chat')))
          .orderBy(desc(messages.createdAt))
          .limit(LOAD_CHAT),
        db.select().from(events).where(eq(events.interviewId, interviewId)).orderBy(asc(events.id)),
        db
          .select()
          .from(runs)
          .where(eq(runs.interviewId, interviewId))
          .orderBy(desc(runs.createdAt))
          .limit(LOAD_RUNS)
      ]);
      return {
        chat: chatRows.reverse().map(toChat),
        events: eventRows.map(toEvent),
        runs: runRows.reverse().map(toPadRun),
        library
      };
    },
    async appendChat(interviewId, message) {
      const [row] = await db
        .insert(messages)
        .values({
          interviewId,
          speaker: message.role,
          authorId: message.authorId,
          authorName: message.authorName,
          channel: 'chat',
          text: message.text
        })
        .returning();
      if (!row) throw new Error('chat message not stored');
      return toChat(row);
    },
    async appendEvent(interviewId, event) {
      const row = await db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(events)
          .values({
            interviewId,
            kind: event.kind,
            participantId: event.participantId,
            participantName: event.participantName,
            role: event.role,
            staffOnly: staffOnlyKinds.has(event.kind),
            data: event.data
          })
          .returning();
        // The interview's status follows its session: started when the candidate joins, completed at the end.
        if (event.kind === 'join' && event.role === 'candidate') {
          await tx
            .update(interviews)
            .set({ status: 'in_progress', updatedAt: new Date() })
            .where(and(eq(interviews.id, interviewId), eq(interviews.status, 'scheduled')));
        }
        if (event.kind === 'session_ended') {
          await tx
            .update(interviews)
            .set({ status: 'completed', updatedAt: new Date() })
            .where(
              and(
                eq(interviews.id, interviewId),
                inArray(interviews.status, ['scheduled', 'in_progress'])
              )
            );
        }
        return inserted;
      });
      if (!row) throw new Error('session event not stored');
      return toEvent(row);
    }
  };
}

function toChat(row: typeof messages.$inferSelect): ChatMessage {
  return {
    id: row.id,
    authorId: row.authorId,
    authorName: row.authorName,
    role: asRole(row.speaker),
    text: row.text,
    at: row.createdAt.toISOString()
  };
}

function toEvent(row: typeof events.$inferSelect): StoredSessionEvent {
  return {
    id: String(row.id),
    kind: asKind(row.kind),
    participantId: row.participantId,
    participantName: row.participantName,
    role: asRole(row.role),
    data: row.data,
    at: row.createdAt.toISOString()
  };
}

function asRole(value: string): SessionRole {
  return SESSION_ROLES.find((role) => role === value) ?? 'observer';
}

const eventKinds: readonly SessionEventKind[] = [
  'join',
  'leave',
  'question_shown',
  'timer_started',
  'timer_stopped',
  'settings_changed',
  'session_ended',
  ...INTEGRITY_KINDS,
  ...VIDEO_EVENT_KINDS
];

/** Rows are written by appendEvent and the LiveKit webhook; an unknown kind is a newer release's: replay ignores it. */
function asKind(value: string): SessionEventKind {
  return eventKinds.find((kind) => kind === value) ?? 'leave';
}
