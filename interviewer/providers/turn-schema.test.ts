import { describe, expect, it } from 'vitest';
import { ProviderError } from './errors';
import { NOW, PLAN, stateAt } from './testing/plan-fixture';
import { decisionJsonSchema, parseDecisionHead, parseMessage, turnChoices } from './turn-schema';

function malformed(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'malformed_output' });
    return;
  }
  throw new Error('expected malformed_output');
}

describe('turnChoices', () => {
  it('stays or moves on, and keeps wrap_up for the end, as the engine accepts', () => {
    const choices = turnChoices(PLAN, stateAt(0, 0), NOW);
    expect(choices.actions).toEqual([
      'probe',
      'follow_up',
      'clarify',
      'repeat',
      'redirect',
      'nudge',
      'move_on'
    ]);
    expect(choices.next?.question.id).toBe('q-cache');
  });

  it('offers wrap_up early only in the last 10% of the time', () => {
    const late = new Date(Date.parse('2025-01-01T10:00:00.000Z') + 36 * 60_000); // 36 of 40 min
    expect(turnChoices(PLAN, stateAt(0, 0), late).actions).toContain('wrap_up');
  });

  it('moves on across an empty section', () => {
    const choices = turnChoices(PLAN, stateAt(0, 1), NOW);
    expect(choices.next?.question.id).toBe('q-outage');
    expect(choices.next?.sectionIndex).toBe(2);
  });

  it('cannot move on from the last question, only wrap up', () => {
    const choices = turnChoices(PLAN, stateAt(2, 0), NOW);
    expect(choices.next).toBeUndefined();
    expect(choices.actions).not.toContain('move_on');
    expect(choices.actions).toContain('wrap_up');
  });

  it('refuses a finished interview and a state outside the plan', () => {
    expect(() => turnChoices(PLAN, stateAt(0, 0, { finished: true }), NOW)).toThrow(/finished/);
    expect(() => turnChoices(PLAN, stateAt(1, 0), NOW)).toThrow(/outside the plan/);
  });
});

describe('decisionJsonSchema', () => {
  it('is strict, lists keys with message last and enumerates the allowed ids', () => {
    const schema = decisionJsonSchema(turnChoices(PLAN, stateAt(0, 0), NOW));
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['action', 'questionId', 'dimensionId', 'coveredConceptIds', 'message'],
      properties: {
        questionId: { enum: ['q-idempotency', 'q-cache'] },
        dimensionId: { anyOf: [{ enum: ['keys', 'failure', 'consistency'] }, { type: 'null' }] },
        coveredConceptIds: {
          items: { enum: ['idempotency-key', 'unique-constraint', 'timeout', 'partial-failure'] }
        }
      }
    });
    expect(Object.keys(schema.properties as object).at(-1)).toBe('message');
  });
});

describe('parseDecisionHead', () => {
  const choices = turnChoices(PLAN, stateAt(0, 0), NOW);
  const head = {
    action: 'probe',
    questionId: 'q-idempotency',
    dimensionId: 'keys',
    coveredConceptIds: []
  };

  it('accepts a decision on the current question and a move to the next', () => {
    expect(parseDecisionHead(head, choices)).toEqual({ ...head, coveredConceptIds: [] });
    expect(
      parseDecisionHead(
        {
          action: 'move_on',
          questionId: 'q-cache',
          dimensionId: null,
          coveredConceptIds: ['timeout']
        },
        choices
      )
    ).toEqual({
      action: 'move_on',
      questionId: 'q-cache',
      dimensionId: undefined,
      coveredConceptIds: ['timeout']
    });
  });

  it('rejects unknown actions, ids that do not fit the action, unknown dimensions and concepts', () => {
    malformed(() => parseDecisionHead({ ...head, action: 'give_score' }, choices));
    malformed(() => parseDecisionHead({ ...head, questionId: 'q-outage' }, choices));
    malformed(() => parseDecisionHead({ ...head, action: 'move_on' }, choices));
    malformed(() => parseDecisionHead({ ...head, dimensionId: 'consistency' }, choices));
    malformed(() => parseDecisionHead({ ...head, coveredConceptIds: ['ttl'] }, choices));
    malformed(() => parseDecisionHead({ ...head, action: 'ask' }, choices));
    malformed(() => parseDecisionHead({ ...head, action: 'wrap_up' }, choices));
  });

  it('takes absent optional fields as none (json_object mode)', () => {
    expect(parseDecisionHead({ action: 'nudge', questionId: 'q-idempotency' }, choices)).toEqual({
      action: 'nudge',
      questionId: 'q-idempotency',
      dimensionId: undefined,
      coveredConceptIds: []
    });
  });
});

describe('parseMessage', () => {
  it('trims, and rejects empty, overlong and non-string messages', () => {
    expect(parseMessage('  Why?  ', 10)).toBe('Why?');
    malformed(() => parseMessage('   ', 10));
    malformed(() => parseMessage('x'.repeat(11), 10));
    malformed(() => parseMessage(42, 10));
  });
});
