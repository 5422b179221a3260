import { describe, expect, it } from 'vitest';
import {
  abandonAnswer,
  applyStreamEvent,
  beginAnswer,
  createChatState,
  needsResume,
  settleAnswer,
  shownMessages,
  systemNote
} from './chat-state';
import { message, view } from './test-fixtures';

const states = (s: ReturnType<typeof createChatState>) =>
  shownMessages(s).map((m) => `${m.speaker}:${m.state}:${m.text}`);

describe('the conversation state', () => {
  it('shows the answer at once, then the reply as it streams, then the saved view', () => {
    const start = view();
    const state = createChatState(structuredClone(start));
    const body = beginAnswer(state, { text: '  A version in the path. ', kind: 'answer' });
    expect(body).toEqual({
      text: 'A version in the path.',
      kind: 'answer',
      after: start.messages[0]?.id
    });
    expect(states(state).at(-1)).toBe('candidate:sending:A version in the path.');

    const mine = message('candidate', 'A version in the path.');
    applyStreamEvent(state, { type: 'candidate', message: mine });
    expect(states(state).at(-1)).toBe('candidate:saved:A version in the path.');
    applyStreamEvent(state, { type: 'token', text: 'Why ' });
    applyStreamEvent(state, { type: 'token', text: 'there?' });
    expect(states(state).at(-1)).toBe('interviewer:streaming:Why there?');

    // The provider failed: what streamed is void, the fallback's message follows.
    applyStreamEvent(state, { type: 'token', text: '' });
    expect(shownMessages(state)).toHaveLength(2);
    applyStreamEvent(state, { type: 'token', text: 'Which clients break?' });

    const reply = message('interviewer', 'Which clients break?');
    const saved = view({ messages: [...start.messages, mine, reply] });
    applyStreamEvent(state, { type: 'view', view: saved });
    expect(states(state)).toEqual([
      `interviewer:saved:${start.messages[0]?.text}`,
      'candidate:saved:A version in the path.',
      'interviewer:saved:Which clients break?'
    ]);
    expect(state.pending).toBeNull();
    expect(state.streaming).toBeNull();
  });

  it('gives the text back after a refusal, unless the server stored it', () => {
    const state = createChatState(view());
    beginAnswer(state, { text: 'from a stale tab', kind: 'answer' });
    applyStreamEvent(state, { type: 'error', error: { code: 'conflict', message: 'Reload.' } });
    expect(abandonAnswer(state)).toBe('from a stale tab');
    expect(shownMessages(state)).toHaveLength(1);

    beginAnswer(state, { text: 'stored, then the turn failed', kind: 'answer' });
    applyStreamEvent(state, {
      type: 'candidate',
      message: message('candidate', 'stored, then the turn failed')
    });
    expect(abandonAnswer(state)).toBeNull();
    expect(states(state).at(-1)).toBe('candidate:saved:stored, then the turn failed');
  });

  it('after a dropped connection, knows from the fresh view whether the answer arrived', () => {
    const start = view();
    const lost = createChatState(structuredClone(start));
    beginAnswer(lost, { text: 'never arrived', kind: 'answer' });
    expect(settleAnswer(lost, structuredClone(start))).toBe('never arrived');

    const arrived = createChatState(structuredClone(start));
    beginAnswer(arrived, { text: 'arrived', kind: 'answer' });
    const fresh = view({ messages: [...start.messages, message('candidate', 'arrived')] });
    expect(settleAnswer(arrived, fresh)).toBeNull();
    expect(arrived.view).toBe(fresh);
    expect(needsResume(fresh)).toBe(true);

    // The same words sent earlier do not count: only the message right after ours.
    const older = createChatState(
      view({ messages: [message('candidate', 'again'), message('interviewer', 'Go on.')] })
    );
    beginAnswer(older, { text: 'again', kind: 'answer' });
    expect(settleAnswer(older, structuredClone(older.view))).toBe('again');
  });

  it('never puts a silence back in the box, and shows none while it is sent', () => {
    const state = createChatState(view());
    expect(beginAnswer(state, { text: 'ignored', kind: 'silence' })).toMatchObject({ text: '' });
    expect(shownMessages(state)).toHaveLength(1);
    expect(abandonAnswer(state)).toBeNull();
  });

  it('needs a resume only while the interviewer owes a reply', () => {
    expect(needsResume(view())).toBe(false);
    const waiting = view({
      messages: [message('interviewer', 'Q'), message('system', '(no answer)')]
    });
    expect(needsResume(waiting)).toBe(true);
    expect(needsResume({ ...waiting, status: 'finished' })).toBe(false);
    expect(needsResume(view({ messages: [] }))).toBe(false);
  });
});

describe('system notes', () => {
  it('reads the server’s silence markers as sentences', () => {
    expect(systemNote('(no answer)')).toBe('No answer given');
    expect(systemNote('(no answer before the deadline)')).toBe('No answer before the deadline');
    expect(systemNote('')).toBe('No answer given');
  });
});
