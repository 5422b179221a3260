import type {
  ChatMessage,
  IntegrityEvent,
  IntegrityKind,
  PadRun,
  Question,
  SessionSettings,
  TimerState
} from './contracts';
import { INTEGRITY_KINDS } from './contracts';
import type { LoadedSession, StoredSessionEvent } from './store';

export const KEEP_CHAT = 500;
export const KEEP_RUNS = 30;
export const KEEP_INTEGRITY = 1000;

/** What every participant shares in one interview's session, rebuilt from its log. */
export type SessionState = {
  chat: ChatMessage[];
  library: Question[];
  revealed: Question[];
  timer: TimerState;
  settings: SessionSettings;
  endedAt: string | null;
  runs: PadRun[];
  integrity: IntegrityEvent[];
};

export const DEFAULT_SETTINGS: SessionSettings = { candidateCanRun: true };

const integrityKinds: ReadonlySet<string> = new Set(INTEGRITY_KINDS);

export function isIntegrityKind(kind: string): kind is IntegrityKind {
  return integrityKinds.has(kind);
}

export function toIntegrityEvent(event: StoredSessionEvent): IntegrityEvent | null {
  if (!isIntegrityKind(event.kind)) return null;
  return {
    id: event.id,
    kind: event.kind,
    participantId: event.participantId,
    participantName: event.participantName,
    data: event.data,
    at: event.at
  };
}

/** Replays the session log: later events win, as they did live. */
export function replaySession(loaded: LoadedSession): SessionState {
  const state: SessionState = {
    chat: loaded.chat.slice(-KEEP_CHAT),
    library: loaded.library,
    revealed: [],
    timer: { startedAt: null, durationSeconds: null },
    settings: { ...DEFAULT_SETTINGS },
    endedAt: null,
    runs: loaded.runs.slice(-KEEP_RUNS),
    integrity: []
  };
  const byId = new Map(loaded.library.map((q) => [q.id, q]));
  for (const event of loaded.events) applyEvent(state, event, byId);
  state.integrity = state.integrity.slice(-KEEP_INTEGRITY);
  return state;
}

function applyEvent(
  state: SessionState,
  event: StoredSessionEvent,
  library: ReadonlyMap<string, Question>
): void {
  const { data } = event;
  switch (event.kind) {
    case 'question_shown': {
      const question = typeof data.questionId === 'string' ? library.get(data.questionId) : null;
      if (question && !state.revealed.some((q) => q.id === question.id)) {
        state.revealed.push(question);
      }
      return;
    }
    case 'timer_started':
      state.timer = {
        startedAt: event.at,
        durationSeconds: typeof data.durationSeconds === 'number' ? data.durationSeconds : null
      };
      return;
    case 'timer_stopped':
      state.timer = { startedAt: null, durationSeconds: null };
      return;
    case 'settings_changed':
      if (typeof data.candidateCanRun === 'boolean') {
        state.settings = { ...state.settings, candidateCanRun: data.candidateCanRun };
      }
      return;
    case 'session_ended':
      state.endedAt ??= event.at;
      return;
    default: {
      const marker = toIntegrityEvent(event);
      if (marker) state.integrity.push(marker);
    }
  }
}

export function pushCapped<T>(list: T[], item: T, keep: number): void {
  list.push(item);
  if (list.length > keep) list.splice(0, list.length - keep);
}
