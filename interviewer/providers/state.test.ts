import { describe, expect, it } from 'vitest';
import { nextState } from './state';
import { NOW, PLAN, stateAt } from './testing/plan-fixture';
import type { DecisionHead } from './turn-schema';

const head = (overrides: Partial<DecisionHead>): DecisionHead => ({
  action: 'probe',
  questionId: 'q-idempotency',
  dimensionId: undefined,
  coveredConceptIds: [],
  ...overrides
});

describe('nextState', () => {
  it('counts a turn on the question and merges covered concepts without repeats', () => {
    const before = stateAt(0, 0, { covered: { 'q-idempotency': ['timeout'] }, turnsOnQuestion: 2 });
    const after = nextState(
      PLAN,
      before,
      head({ coveredConceptIds: ['timeout', 'idempotency-key'] }),
      'Why a key?',
      NOW
    );
    expect(after.turnsOnQuestion).toBe(3);
    expect(after.covered).toEqual({ 'q-idempotency': ['timeout', 'idempotency-key'] });
    expect(after.finished).toBe(false);
    expect(after.asked).toEqual(['Why a key?']);
    expect(before.covered['q-idempotency']).toEqual(['timeout']); // not mutated
  });

  it('moves on within a section, keeping the section clock', () => {
    const after = nextState(
      PLAN,
      stateAt(0, 0),
      head({ action: 'move_on', questionId: 'q-cache' }),
      'Next: caches.',
      NOW
    );
    expect(after).toMatchObject({
      sectionIndex: 0,
      questionIndex: 1,
      turnsOnQuestion: 1,
      questionStartedAt: NOW.toISOString(),
      sectionStartedAt: '2025-01-01T10:00:00.000Z'
    });
  });

  it('moves on across an empty section, restarting the section clock', () => {
    const after = nextState(
      PLAN,
      stateAt(0, 1),
      head({ action: 'move_on', questionId: 'q-outage' }),
      'Next: outages.',
      NOW
    );
    expect(after).toMatchObject({
      sectionIndex: 2,
      questionIndex: 0,
      sectionStartedAt: NOW.toISOString()
    });
  });

  it('finishes on wrap_up', () => {
    const after = nextState(
      PLAN,
      stateAt(2, 0),
      head({ action: 'wrap_up', questionId: 'q-outage' }),
      'Thanks!',
      NOW
    );
    expect(after.finished).toBe(true);
  });
});
