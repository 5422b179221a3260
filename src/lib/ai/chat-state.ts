/**
 * The candidate's conversation as the page shows it: the server's view,
 * plus the answer on its way (shown at once) and the interviewer's reply
 * while it streams. Functions change the state in place, so they work on a
 * plain object in tests and on a Svelte `$state` proxy in the page.
 */
import type {
  AiInterviewView,
  AiMessage,
  AnswerInput,
  AnswerStreamEvent
} from '$lib/contracts/ai-interview';

export type PendingAnswer = {
  text: string;
  kind: 'answer' | 'silence';
  /** The last message the page had when it sent this one. */
  after: string | null;
  at: string;
  /** The server said it stored the message (its `candidate` event). */
  stored: boolean;
};

export type ChatState = {
  view: AiInterviewView;
  pending: PendingAnswer | null;
  /** The interviewer's reply so far; null when none is streaming. */
  streaming: string | null;
};

/** A message as the page lists it. */
export type ShownMessage = AiMessage & { state: 'saved' | 'sending' | 'streaming' };

export const PENDING_ID = 'pending';
export const STREAMING_ID = 'streaming';

export function createChatState(view: AiInterviewView): ChatState {
  return { view, pending: null, streaming: null };
}

export function lastMessageId(view: AiInterviewView): string | null {
  return view.messages.at(-1)?.id ?? null;
}

/**
 * The interviewer owes a reply: the last message is the candidate's or a
 * silence, typically because the server restarted mid-turn.
 */
export function needsResume(view: AiInterviewView): boolean {
  const last = view.messages.at(-1);
  return view.status === 'in_progress' && last !== undefined && last.speaker !== 'interviewer';
}

/** Records the answer as pending and returns the request body for it. */
export function beginAnswer(
  state: ChatState,
  answer: { text: string; kind: 'answer' | 'silence' },
  now = new Date()
): AnswerInput {
  const text = answer.kind === 'silence' ? '' : answer.text.trim();
  const after = lastMessageId(state.view);
  state.pending = { text, kind: answer.kind, after, at: now.toISOString(), stored: false };
  state.streaming = null;
  return { text, kind: answer.kind, after };
}

function push(view: AiInterviewView, message: AiMessage): void {
  if (!view.messages.some((m) => m.id === message.id)) view.messages.push(message);
}

export function applyStreamEvent(state: ChatState, event: AnswerStreamEvent): void {
  switch (event.type) {
    case 'candidate':
      push(state.view, event.message);
      if (state.pending) state.pending.stored = true;
      state.streaming = '';
      return;
    case 'token':
      // An empty token voids what streamed so far: the provider failed and the fallback follows.
      state.streaming = event.text === '' ? '' : (state.streaming ?? '') + event.text;
      return;
    case 'interviewer':
      push(state.view, event.message);
      state.streaming = null;
      return;
    case 'view':
      state.view = event.view;
      state.pending = null;
      state.streaming = null;
      return;
    case 'error':
      state.streaming = null;
      return;
  }
}

/**
 * After a refused or failed send: drops the pending answer and returns the
 * text to put back in the box when the server never stored it (null when it
 * did, so nothing is sent twice).
 */
export function abandonAnswer(state: ChatState): string | null {
  const pending = state.pending;
  state.pending = null;
  state.streaming = null;
  if (!pending || pending.stored || pending.kind === 'silence') return null;
  return pending.text;
}

/**
 * After the connection dropped mid-send: takes the view as the server now
 * has it and says whether the pending answer got there. Returns the text to
 * put back in the box when it did not.
 */
export function settleAnswer(state: ChatState, fresh: AiInterviewView): string | null {
  const pending = state.pending;
  state.view = fresh;
  if (pending && !pending.stored) {
    const index = fresh.messages.findIndex((m) => m.id === pending.after);
    const next = pending.after === null || index >= 0 ? fresh.messages[index + 1] : undefined;
    pending.stored =
      next !== undefined &&
      (pending.kind === 'silence'
        ? next.speaker === 'system'
        : next.speaker === 'candidate' && next.text === pending.text);
  }
  return abandonAnswer(state);
}

/** The list to render: saved messages, then the answer on its way, then the streaming reply. */
export function shownMessages(state: ChatState): ShownMessage[] {
  const shown: ShownMessage[] = state.view.messages.map((m) => ({ ...m, state: 'saved' }));
  const pending = state.pending;
  if (pending && !pending.stored && pending.kind === 'answer') {
    shown.push({
      id: PENDING_ID,
      speaker: 'candidate',
      text: pending.text,
      at: pending.at,
      state: 'sending'
    });
  }
  if (state.streaming) {
    shown.push({
      id: STREAMING_ID,
      speaker: 'interviewer',
      text: state.streaming,
      at: pending?.at ?? state.view.messages.at(-1)?.at ?? '',
      state: 'streaming'
    });
  }
  return shown;
}

/**
 * How a system line reads: "(no answer)" when the candidate stayed silent,
 * "(no answer before the deadline)" when the interview was wrapped up.
 */
export function systemNote(text: string): string {
  const bare = text.replace(/^\((.*)\)$/s, '$1').trim();
  if (bare === 'no answer') return 'No answer given';
  return bare ? bare.charAt(0).toUpperCase() + bare.slice(1) : 'No answer given';
}
