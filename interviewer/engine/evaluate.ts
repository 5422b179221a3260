/**
 * What the engine does to any provider's evaluation before anyone reads it
 * (issue 5, 6):
 *
 * - the shape is checked; scores for pairs the plan does not have are dropped,
 *   and pairs the provider left out are scored by the offline engine;
 * - every evidence quote is verified verbatim against the candidate's messages
 *   (verifyEvidence), the rest dropped and counted;
 * - injection attempts are detected here too, whatever the provider reported,
 *   and a provider's own reports are kept only when they quote the candidate.
 */
import { z } from 'zod';
import type { Evaluation, InterviewPlan, TranscriptMessage } from '../types';
import { evaluateOffline } from '../evaluation/offline';
import { verifyEvidence } from '../evaluation/evidence';
import { detectInjection } from '../evaluation/injection';
import { collapseWhitespace } from '../offline/text';
import { RejectedOutput } from './reconcile';
import { describeIssues } from './transcript';

const list = z.array(z.string().max(4_000)).max(50);

const evaluationSchema = z.object({
  source: z.enum(['offline', 'llm']),
  scores: z
    .array(
      z.object({
        questionId: z.string(),
        dimensionId: z.string(),
        score: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
        rationale: z.string().max(4_000),
        evidence: list
      })
    )
    .max(1_000),
  summary: z.string().max(8_000),
  strengths: list,
  concerns: list,
  followUpTopics: list,
  injectionAttempts: list,
  droppedEvidence: z.number().int().min(0)
});

/** The concern line added when there were injection attempts and the provider did not say so. */
export const INJECTION_CONCERN =
  'The candidate tried to instruct the interviewer; those messages do not count as answers.';

export function finishEvaluation(
  plan: InterviewPlan,
  transcript: readonly TranscriptMessage[],
  raw: unknown
): Evaluation {
  const parsed = evaluationSchema.safeParse(raw);
  if (!parsed.success)
    throw new RejectedOutput(`evaluation schema: ${describeIssues(parsed.error)}`);
  const given = parsed.data;

  const pairs = plan.sections.flatMap((s) =>
    s.questions.flatMap((q) => q.rubric.map((d) => `${q.id}/${d.id}`))
  );
  const byPair = new Map(given.scores.map((s) => [`${s.questionId}/${s.dimensionId}`, s]));
  let offline: Evaluation | undefined;
  const scores = pairs.map((pair) => {
    const found = byPair.get(pair);
    if (found) return found;
    offline ??= evaluateOffline(plan, transcript);
    const fill = offline.scores.find((s) => `${s.questionId}/${s.dimensionId}` === pair);
    if (!fill) throw new RejectedOutput(`no score for ${pair}`);
    return fill;
  });

  const candidate = transcript.filter((m) => m.speaker === 'candidate');
  const said = candidate.map((m) => collapseWhitespace(m.text));
  const detected = candidate
    .filter((m) => detectInjection(m.text).length > 0)
    .map((m) => m.text.trim());
  const reported = given.injectionAttempts.filter((q) => {
    const quote = collapseWhitespace(q);
    return quote.length > 0 && said.some((m) => m.includes(quote));
  });
  const injectionAttempts = [...new Set([...detected, ...reported])];
  const concerns =
    injectionAttempts.length > 0 &&
    given.source !== 'offline' &&
    !given.concerns.includes(INJECTION_CONCERN)
      ? [...given.concerns, INJECTION_CONCERN]
      : given.concerns;

  return verifyEvidence({ ...given, scores, concerns, injectionAttempts }, transcript);
}
