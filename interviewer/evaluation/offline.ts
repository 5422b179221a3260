/**
 * The offline evaluation: deterministic scores, evidence and report from the
 * transcript alone (no clock, no randomness), so the same transcript always
 * scores the same. Sentences that try to instruct the interviewer are flagged
 * and left out of scoring, so they can neither earn nor cost points.
 */
import type { Evaluation, InterviewPlan, TranscriptMessage } from '../types';
import { allQuestions } from '../engine/plan';
import { classifyAnswer } from '../offline/classify';
import { sentences } from '../offline/text';
import { attribute } from './attribution';
import { detectInjection } from './injection';
import { buildReport, type Scored } from './report';
import { notReached, scoreDimension, sentenceOf, type Sentence } from './score';

const NO_VOCABULARY: ReadonlySet<string> = new Set();

export function evaluateOffline(
  plan: InterviewPlan,
  transcript: readonly TranscriptMessage[]
): Evaluation {
  const { answers, reached } = attribute(plan, transcript);
  const candidate = transcript.filter((m) => m.speaker === 'candidate');
  const flagged = new Set(candidate.filter((m) => detectInjection(m.text).length > 0));
  const injectionAttempts = [...new Set([...flagged].map((m) => m.text.trim()))];
  const nonAnswers = candidate.filter((m) => {
    const { kind } = classifyAnswer(m.text, NO_VOCABULARY, 0);
    return kind === 'silence' || kind === 'dont_know';
  }).length;

  const scored: Scored[] = [];
  let order = 0;
  for (const question of allQuestions(plan)) {
    const isReached = reached.has(question.id);
    const said: Sentence[] = [];
    // Only a flagged message can hold a flagged sentence: check sentences only then.
    for (const message of answers.get(question.id) ?? [])
      for (const text of sentences(message.text))
        if (!flagged.has(message) || detectInjection(text).length === 0)
          said.push(sentenceOf(question, text, order++));
    for (const dimension of question.rubric)
      scored.push({
        ...(isReached
          ? scoreDimension(question, dimension, said)
          : notReached(question, dimension)),
        questionTitle: question.title,
        dimensionName: dimension.name,
        reached: isReached
      });
  }

  const report = buildReport(plan, scored, {
    questions: allQuestions(plan).length,
    reached: allQuestions(plan).filter((q) => reached.has(q.id)).length,
    nonAnswers,
    injections: injectionAttempts.length
  });
  return {
    source: 'offline',
    scores: scored.map((s) => ({
      questionId: s.questionId,
      dimensionId: s.dimensionId,
      score: s.score,
      rationale: s.rationale,
      evidence: s.evidence
    })),
    ...report,
    injectionAttempts,
    droppedEvidence: 0
  };
}
