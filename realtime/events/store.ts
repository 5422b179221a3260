import type { ChatMessage, PadRun, Question, SessionRole } from './contracts';

/** What the session log records besides chat: timeline and staff-only integrity events. */
export type SessionEventKind =
  | 'join'
  | 'leave'
  | 'question_shown'
  | 'timer_started'
  | 'timer_stopped'
  | 'settings_changed'
  | 'session_ended'
  | 'paste'
  | 'focus_lost'
  | 'focus_regained'
  | 'large_insert'
  | 'typing_burst'
  // Written by the LiveKit webhook (src/lib/server/services/video-webhook.ts); replay ignores them.
  | 'video_joined'
  | 'video_left'
  | 'video_ended'
  | 'recording_started'
  | 'recording_ended';

export type NewSessionEvent = {
  kind: SessionEventKind;
  participantId: string;
  participantName: string;
  role: SessionRole;
  data: Record<string, number | boolean | string>;
};
export type StoredSessionEvent = NewSessionEvent & { id: string; at: string };

export type LoadedSession = {
  /** Oldest first. */
  chat: ChatMessage[];
  /** Oldest first; the session's state is replayed from them. */
  events: StoredSessionEvent[];
  /** Most recent last. */
  runs: PadRun[];
  /** Questions the interviewer may reveal. */
  library: Question[];
};

/** Where a session's chat and events live (PostgreSQL in the app, memory in tests). */
export interface SessionStore {
  load(interviewId: string): Promise<LoadedSession>;
  appendChat(interviewId: string, message: Omit<ChatMessage, 'id' | 'at'>): Promise<ChatMessage>;
  appendEvent(interviewId: string, event: NewSessionEvent): Promise<StoredSessionEvent>;
}

export type RunContext = {
  interviewId: string;
  participantId: string;
  participantName: string;
  role: SessionRole;
};

export type RunHooks = {
  /** Called once the run has an id, before any output. */
  onStarted(run: PadRun): void;
  onOutput(chunk: { stream: 'stdout' | 'stderr'; data: string }): void;
  signal: AbortSignal;
};

/** Runs the interview's current code (the app reads it from the shared document). */
export interface RunGateway {
  start(context: RunContext, input: { stdin?: string }, hooks: RunHooks): Promise<PadRun>;
}
