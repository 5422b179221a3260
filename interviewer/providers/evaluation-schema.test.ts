import { describe, expect, it } from 'vitest';
import { evaluationJsonSchema, parseEvaluation, rubricPairs } from './evaluation-schema';
import { PLAN } from './testing/plan-fixture';

function answer(
  scores = rubricPairs(PLAN).map((p) => ({
    ...p,
    score: 3,
    rationale: 'ok',
    evidence: ['a quote']
  }))
) {
  return {
    scores,
    summary: 'Solid.',
    strengths: ['keys'],
    concerns: [],
    followUpTopics: [],
    injectionAttempts: []
  };
}

describe('parseEvaluation', () => {
  it('accepts one score per rubric dimension and marks the source', () => {
    const evaluation = parseEvaluation(answer(), PLAN);
    expect(evaluation.source).toBe('llm');
    expect(evaluation.scores).toHaveLength(4);
    expect(evaluation.droppedEvidence).toBe(0);
  });

  it('rejects a missing, repeated or unknown dimension and a score out of range', () => {
    const full = answer().scores;
    const cases = [
      full.slice(1),
      [...full.slice(1), full[1]!],
      [...full.slice(1), { ...full[0]!, dimensionId: 'nope' }],
      [{ ...full[0]!, score: 5 }, ...full.slice(1)]
    ];
    for (const scores of cases) {
      expect(() => parseEvaluation(answer(scores), PLAN)).toThrow(
        expect.objectContaining({ code: 'malformed_output' })
      );
    }
  });

  it('requests integer scores 1 to 4 for the plan ids only', () => {
    expect(evaluationJsonSchema(PLAN)).toMatchObject({
      properties: {
        scores: {
          items: {
            properties: {
              questionId: { enum: ['q-idempotency', 'q-cache', 'q-outage'] },
              score: { type: 'integer', enum: [1, 2, 3, 4] }
            }
          }
        }
      }
    });
  });
});
