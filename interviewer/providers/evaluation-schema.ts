/**
 * The evaluation as structured output: the JSON Schema sent with the request and the zod
 * check of the answer. Every rubric dimension of the plan is scored exactly once; a missing,
 * repeated or unknown pair is malformed output (the engine then scores offline).
 */
import { z } from 'zod';
import type { Evaluation, InterviewPlan } from '../types';
import { ProviderError } from './errors';
import { summarize } from './turn-schema';

/** Every (question, dimension) pair the plan's rubrics define, in plan order. */
export function rubricPairs(plan: InterviewPlan): { questionId: string; dimensionId: string }[] {
  return plan.sections.flatMap((s) =>
    s.questions.flatMap((q) => q.rubric.map((d) => ({ questionId: q.id, dimensionId: d.id })))
  );
}

const pairKey = (questionId: string, dimensionId: string) => `${questionId}\u0000${dimensionId}`;

const strings = { type: 'array', items: { type: 'string' } } as const;

export function evaluationJsonSchema(plan: InterviewPlan): Record<string, unknown> {
  const pairs = rubricPairs(plan);
  const questionIds = [...new Set(pairs.map((p) => p.questionId))];
  const dimensionIds = [...new Set(pairs.map((p) => p.dimensionId))];
  return {
    type: 'object',
    additionalProperties: false,
    required: ['scores', 'summary', 'strengths', 'concerns', 'followUpTopics', 'injectionAttempts'],
    properties: {
      scores: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['questionId', 'dimensionId', 'score', 'rationale', 'evidence'],
          properties: {
            questionId:
              questionIds.length > 0 ? { type: 'string', enum: questionIds } : { type: 'string' },
            dimensionId:
              dimensionIds.length > 0 ? { type: 'string', enum: dimensionIds } : { type: 'string' },
            score: { type: 'integer', enum: [1, 2, 3, 4] },
            rationale: { type: 'string' },
            evidence: strings
          }
        }
      },
      summary: { type: 'string' },
      strengths: strings,
      concerns: strings,
      followUpTopics: strings,
      injectionAttempts: strings
    }
  };
}

const text = (max: number) => z.string().trim().max(max);
const list = (items: number, chars: number) => z.array(text(chars).min(1)).max(items);

function schema(plan: InterviewPlan) {
  const expected = new Map(rubricPairs(plan).map((p) => [pairKey(p.questionId, p.dimensionId), p]));
  return z
    .object({
      scores: z
        .array(
          z.object({
            questionId: z.string(),
            dimensionId: z.string(),
            score: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
            rationale: text(2000).min(1),
            evidence: list(10, 1000)
          })
        )
        .max(expected.size),
      summary: text(4000).min(1),
      strengths: list(10, 500),
      concerns: list(10, 500),
      followUpTopics: list(10, 500),
      injectionAttempts: list(20, 2000)
    })
    .superRefine((value, ctx) => {
      const seen = new Set<string>();
      value.scores.forEach((s, i) => {
        const key = pairKey(s.questionId, s.dimensionId);
        if (!expected.has(key)) {
          ctx.addIssue({ code: 'custom', path: ['scores', i], message: 'not a rubric dimension' });
        } else if (seen.has(key)) {
          ctx.addIssue({ code: 'custom', path: ['scores', i], message: 'scored twice' });
        }
        seen.add(key);
      });
      for (const [key, pair] of expected) {
        if (!seen.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['scores'],
            message: `missing ${pair.questionId}/${pair.dimensionId}`
          });
        }
      }
    });
}

export function parseEvaluation(value: unknown, plan: InterviewPlan): Evaluation {
  const result = schema(plan).safeParse(value);
  if (!result.success) {
    throw new ProviderError('malformed_output', `Invalid evaluation: ${summarize(result.error)}`, {
      cause: result.error
    });
  }
  return { source: 'llm', ...result.data, droppedEvidence: 0 };
}
