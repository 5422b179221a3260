import { describe, expect, it } from 'vitest';
import { replaySession } from './session-state';
import type { StoredSessionEvent } from './store';

const library = [
  { id: 'q1', title: 'One', prompt: 'First' },
  { id: 'q2', title: 'Two', prompt: 'Second' }
];

function event(
  kind: StoredSessionEvent['kind'],
  data: StoredSessionEvent['data'],
  at = '2026-01-01T00:00:00.000Z'
): StoredSessionEvent {
  return {
    id: `${kind}-${at}`,
    kind,
    data,
    at,
    participantId: 'u1',
    participantName: 'Ada',
    role: 'interviewer'
  };
}

describe('replaySession', () => {
  it('rebuilds revealed questions, timer, settings, the end and integrity markers from the log', () => {
    const state = replaySession({
      chat: [],
      runs: [],
      library,
      events: [
        event('question_shown', { questionId: 'q2' }),
        event('question_shown', { questionId: 'q2' }),
        event('question_shown', { questionId: 'gone' }),
        event('timer_started', { durationSeconds: 600 }, '2026-01-01T00:01:00.000Z'),
        event('settings_changed', { candidateCanRun: false }),
        event('paste', { chars: 40, external: true }),
        event('join', {}),
        event('session_ended', {}, '2026-01-01T00:30:00.000Z'),
        event('session_ended', {}, '2026-01-01T00:31:00.000Z')
      ]
    });
    expect(state.revealed.map((q) => q.id)).toEqual(['q2']);
    expect(state.timer).toEqual({ startedAt: '2026-01-01T00:01:00.000Z', durationSeconds: 600 });
    expect(state.settings.candidateCanRun).toBe(false);
    expect(state.integrity.map((e) => e.kind)).toEqual(['paste']);
    expect(state.endedAt).toBe('2026-01-01T00:30:00.000Z');
  });

  it('starts a fresh session with running allowed and no timer', () => {
    const state = replaySession({ chat: [], runs: [], library, events: [] });
    expect(state.settings.candidateCanRun).toBe(true);
    expect(state.timer.startedAt).toBeNull();
    expect(state.endedAt).toBeNull();
  });
});
