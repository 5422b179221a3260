import { describe, expect, it } from 'vitest';
import type { PadRun, SessionSnapshot } from '$realtime/events/contracts';
import {
  applyChat,
  applyEnded,
  applyIntegrity,
  applyPresence,
  applyRevealed,
  applyRunFinished,
  applyRunOutput,
  applyRunStarted,
  formatClock,
  nextQuestion,
  runsNewestFirst,
  secondsLeft
} from './session-state';

function snapshot(): SessionSnapshot {
  const you = {
    id: 'u1',
    name: 'Ines',
    role: 'interviewer' as const,
    color: '#2563eb',
    state: 'active' as const
  };
  return {
    you,
    participants: [you],
    chat: [],
    revealed: [],
    library: [
      { id: 'q1', title: 'Two sum', prompt: 'Find two numbers.' },
      { id: 'q2', title: 'LRU cache', prompt: 'Design a cache.' }
    ],
    timer: { startedAt: null, durationSeconds: null },
    settings: { candidateCanRun: true },
    endedAt: null,
    runs: [],
    integrity: []
  };
}

function run(id: string, patch: Partial<PadRun> = {}): PadRun {
  return {
    id,
    byId: 'c1',
    byName: 'Cleo',
    language: 'python',
    entry: 'main.py',
    status: 'running',
    exitCode: null,
    wallMs: null,
    memoryKb: null,
    stdout: '',
    stderr: '',
    compileOutput: '',
    startedAt: '2025-01-01T10:00:00.000Z',
    finishedAt: null,
    ...patch
  };
}

describe('session state', () => {
  it('streams run output in order and keeps it when the final record has none', () => {
    const state = snapshot();
    applyRunStarted(state, run('r1'));
    applyRunOutput(state, { runId: 'r1', stream: 'stdout', data: 'line 1\n' });
    applyRunOutput(state, { runId: 'r1', stream: 'stderr', data: 'warn\n' });
    applyRunOutput(state, { runId: 'r1', stream: 'stdout', data: 'line 2\n' });
    applyRunOutput(state, { runId: 'unknown', stream: 'stdout', data: 'lost' });
    expect(state.runs[0]).toMatchObject({ stdout: 'line 1\nline 2\n', stderr: 'warn\n' });

    applyRunFinished(state, run('r1', { status: 'ok', exitCode: 0, wallMs: 40 }));
    expect(state.runs[0]).toMatchObject({ status: 'ok', stdout: 'line 1\nline 2\n' });
    // Late chunks after the end change nothing.
    applyRunOutput(state, { runId: 'r1', stream: 'stdout', data: 'late' });
    expect(state.runs[0]?.stdout).toBe('line 1\nline 2\n');
  });

  it('lists runs newest first and ignores a duplicate start', () => {
    const state = snapshot();
    applyRunStarted(state, run('a', { startedAt: '2025-01-01T10:00:00.000Z' }));
    applyRunStarted(state, run('b', { startedAt: '2025-01-01T10:05:00.000Z' }));
    applyRunStarted(state, run('a'));
    expect(runsNewestFirst(state.runs).map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('deduplicates chat, questions and integrity events by id', () => {
    const state = snapshot();
    const message = {
      id: 'm1',
      authorId: 'u1',
      authorName: 'Ines',
      role: 'interviewer' as const,
      text: 'Hi',
      at: '2025-01-01T10:00:00.000Z'
    };
    applyChat(state, message);
    applyChat(state, message);
    const first = state.library[0];
    if (!first) throw new Error('library');
    applyRevealed(state, first);
    applyRevealed(state, first);
    const marker = {
      id: 'i1',
      kind: 'paste' as const,
      participantId: 'c1',
      participantName: 'Cleo',
      data: { chars: 20, external: true },
      at: '2025-01-01T10:00:00.000Z'
    };
    applyIntegrity(state, marker);
    applyIntegrity(state, marker);
    expect([state.chat.length, state.revealed.length, state.integrity.length]).toEqual([1, 1, 1]);
    expect(nextQuestion(state)?.id).toBe('q2');
  });

  it('follows presence, including our own idle state, and the end of the session', () => {
    const state = snapshot();
    applyPresence(state, [
      { ...state.you, state: 'idle' },
      { id: 'c1', name: 'Cleo', role: 'candidate', color: '#059669', state: 'active' }
    ]);
    expect(state.you.state).toBe('idle');
    expect(state.participants).toHaveLength(2);
    applyEnded(state, '2025-01-01T11:00:00.000Z');
    expect(state.endedAt).toBe('2025-01-01T11:00:00.000Z');
  });

  it('counts the timer down and formats it', () => {
    const startedAt = '2025-01-01T10:00:00.000Z';
    const t0 = new Date(startedAt).getTime();
    expect(secondsLeft({ startedAt: null, durationSeconds: null }, t0)).toBeNull();
    expect(secondsLeft({ startedAt, durationSeconds: 1800 }, t0 + 65_000)).toBe(1735);
    expect(secondsLeft({ startedAt, durationSeconds: 60 }, t0 + 90_000)).toBe(-30);
    expect([formatClock(65), formatClock(3725), formatClock(-30), formatClock(0)]).toEqual([
      '1:05',
      '1:02:05',
      '-0:30',
      '0:00'
    ]);
  });
});
