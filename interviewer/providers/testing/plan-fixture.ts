/** A small two-section plan and state for the provider's tests and benchmark. */
import type { EngineState, InterviewPlan, RubricDimension } from '../../types';

function dimension(id: string, concepts: string[]): RubricDimension {
  return {
    id,
    name: `Dimension ${id}`,
    description: `How well the candidate handles ${id}.`,
    concepts: concepts.map((c) => ({ id: c, label: c.replace(/-/g, ' '), phrases: [c] })),
    probes: [`What about ${id}?`],
    strong: 'Names the mechanism and its cost.',
    weak: 'Stays vague.'
  };
}

export const PLAN: InterviewPlan = {
  templateId: 'tpl-backend',
  title: 'Backend fundamentals',
  sections: [
    {
      id: 'design',
      title: 'Design',
      minutes: 20,
      questions: [
        {
          id: 'q-idempotency',
          kind: 'discussion',
          title: 'Idempotent payments',
          prompt: 'How would you make a payment endpoint safe to retry?',
          tags: ['api-design'],
          minutes: 10,
          rubric: [
            dimension('keys', ['idempotency-key', 'unique-constraint']),
            dimension('failure', ['timeout', 'partial-failure'])
          ]
        },
        {
          id: 'q-cache',
          kind: 'discussion',
          title: 'Cache invalidation',
          prompt: 'How do you keep a cache consistent with the database?',
          tags: ['caching'],
          minutes: 10,
          rubric: [dimension('consistency', ['ttl', 'write-through'])]
        }
      ]
    },
    { id: 'empty', title: 'Empty', minutes: 5, questions: [] },
    {
      id: 'incidents',
      title: 'Incidents',
      minutes: 15,
      questions: [
        {
          id: 'q-outage',
          kind: 'discussion',
          title: 'An outage',
          prompt: 'Tell me about an outage you handled.',
          tags: ['incidents'],
          minutes: 15,
          rubric: [dimension('response', ['rollback', 'postmortem'])]
        }
      ]
    }
  ]
};

export function stateAt(
  sectionIndex: number,
  questionIndex: number,
  overrides: Partial<EngineState> = {}
): EngineState {
  const at = '2025-01-01T10:00:00.000Z';
  return {
    sectionIndex,
    questionIndex,
    covered: {},
    asked: [],
    turnsOnQuestion: 1,
    questionStartedAt: at,
    sectionStartedAt: at,
    startedAt: at,
    finished: false,
    ...overrides
  };
}

export const NOW = new Date('2025-01-01T10:04:00.000Z');
