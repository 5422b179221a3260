/**
 * Offline scoring of one rubric dimension from the candidate's own sentences
 * (issue 5, 6): the covered fraction of its concepts, plus half a point for
 * specifics, mapped onto 1..4:
 *
 *   raw   = 3 × covered / concepts + (specific ? 0.5 : 0)
 *   score = 1 + min(3, floor(raw + 0.25))
 *
 * so nothing covered is 1 whatever else was said, a third covered is 2, two
 * thirds 3, everything 4, and specifics lift an answer that sits halfway. A
 * sentence is specific when it has a number (limits, sizes, timings) or at
 * least SPECIFIC_WORDS content words. Evidence is the sentences that covered
 * the dimension's concepts, verbatim, at most MAX_EVIDENCE, those covering
 * the most concepts first.
 */
import type { DimensionScore, Question, RubricDimension } from '../types';
import { findConcepts, type ConceptHit } from '../offline/coverage';
import { contentWords, words } from '../offline/text';

export const MAX_EVIDENCE = 3;
export const SPECIFIC_WORDS = 12;

/**
 * One candidate sentence as it will be quoted, with its position for stable
 * ordering and the concepts it covers (not negated), found once per sentence.
 */
export type Sentence = { text: string; order: number; hits: ConceptHit[] };

export function sentenceOf(question: Question, text: string, order: number): Sentence {
  return { text, order, hits: findConcepts(text, question.rubric).filter((h) => !h.negated) };
}

export type DimensionResult = DimensionScore & {
  covered: string[];
  missing: string[];
};

function isSpecific(text: string): boolean {
  return words(text).some((w) => /\d/.test(w)) || contentWords(text).length >= SPECIFIC_WORDS;
}

export function scoreDimension(
  question: Question,
  dimension: RubricDimension,
  sentences: readonly Sentence[]
): DimensionResult {
  const covered = new Set<string>();
  const evidence: { sentence: Sentence; concepts: number }[] = [];
  for (const sentence of sentences) {
    const hits = new Set(
      sentence.hits.filter((h) => h.dimensionId === dimension.id).map((h) => h.conceptId)
    );
    if (hits.size === 0) continue;
    for (const id of hits) covered.add(id);
    evidence.push({ sentence, concepts: hits.size });
  }
  const labels = (ids: (c: { id: string }) => boolean) =>
    dimension.concepts.filter(ids).map((c) => c.label);
  const coveredLabels = labels((c) => covered.has(c.id));
  const missingLabels = labels((c) => !covered.has(c.id));
  const total = dimension.concepts.length;
  const fraction = total === 0 ? 0 : coveredLabels.length / total;
  const specific = evidence.some((e) => isSpecific(e.sentence.text));
  const raw = 3 * fraction + (specific && fraction > 0 ? 0.5 : 0);
  const score = (1 + Math.min(3, Math.floor(raw + 0.25))) as 1 | 2 | 3 | 4;
  const quoted = [...evidence]
    .sort((a, b) => b.concepts - a.concepts || a.sentence.order - b.sentence.order)
    .slice(0, MAX_EVIDENCE)
    .sort((a, b) => a.sentence.order - b.sentence.order)
    .map((e) => e.sentence.text);
  const parts = [
    `Covered ${coveredLabels.length} of ${total} concepts${coveredLabels.length ? `: ${coveredLabels.join(', ')}` : ''}.`
  ];
  if (missingLabels.length) parts.push(`Not covered: ${missingLabels.join(', ')}.`);
  if (specific && fraction > 0) parts.push('Gave specifics (numbers or concrete detail).');
  return {
    questionId: question.id,
    dimensionId: dimension.id,
    score,
    rationale: parts.join(' '),
    evidence: quoted,
    covered: coveredLabels,
    missing: missingLabels
  };
}

export function notReached(question: Question, dimension: RubricDimension): DimensionResult {
  return {
    questionId: question.id,
    dimensionId: dimension.id,
    score: 1,
    rationale: 'Not reached in this interview: nothing to score.',
    evidence: [],
    covered: [],
    missing: dimension.concepts.map((c) => c.label)
  };
}
