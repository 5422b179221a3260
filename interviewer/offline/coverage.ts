/**
 * Which rubric concepts a candidate's text covers, in their own words:
 * a concept counts when one of its phrases appears as whole words (after the
 * same stemming on both sides) and is not negated. Issue 5, 2b.
 *
 * Negation: a phrase does not count when, within NEGATION_REACH words before
 * it and in the same clause, there is a negator (not, no, never, without,
 * didn't, ...) or "instead of" / "rather than"; nor when it is followed by a
 * negated copula ("a cache isn't needed", "the queue was not"). A clause ends
 * at punctuation or a turn word (but, however, instead, so, then, ...), so in
 * "we didn't use a cache, we used a queue" only the cache is negated.
 */
import type { RubricDimension } from '../types';
import { detectInjection } from '../evaluation/injection';
import { sentences, stem, tokenize, type Token } from './text';

/** How many words back a negator reaches. "we didn't really use a cache" needs 4. */
export const NEGATION_REACH = 4;

const NEGATORS = new Set(
  [
    'not no never without nor neither',
    'dont didnt doesnt wont wouldnt shouldnt cant cannot couldnt',
    'isnt arent wasnt werent havent hasnt hadnt aint'
  ]
    .join(' ')
    .split(' ')
    .map(stem)
);
/** "not only X", "not just X": X is affirmed. */
const NOT_NEGATING_AFTER = new Set(['only', 'just', 'merely', 'simply'].map(stem));
/** Two-word negators: "instead of X", "rather than X". */
const NEGATING_PAIRS: [string, string][] = [
  [stem('instead'), stem('of')],
  [stem('rather'), stem('than')],
  [stem('other'), stem('than')]
];
/** Words that start a new clause for negation purposes. */
const TURN_WORDS = new Set(
  'but however so then although though while whereas because which'.split(' ').map(stem)
);
const COPULAS = new Set(['is', 'was', 'are', 'were', 'be', 'been'].map(stem));
const NEGATED_COPULAS = new Set(['isnt', 'wasnt', 'arent', 'werent', 'wont'].map(stem));

export type ConceptHit = {
  dimensionId: string;
  conceptId: string;
  /** The phrase (as authored) that matched. */
  phrase: string;
  negated: boolean;
};

type CompiledPhrase = { dimensionId: string; conceptId: string; phrase: string; stems: string[] };
type CompiledRubric = Map<string, CompiledPhrase[]>;

// Rubrics are read-only data shared by every interview: compile each once.
const compiled = new WeakMap<readonly RubricDimension[], CompiledRubric>();

function compile(rubric: readonly RubricDimension[]): CompiledRubric {
  const cached = compiled.get(rubric);
  if (cached) return cached;
  const byFirst: CompiledRubric = new Map();
  for (const dimension of rubric)
    for (const concept of dimension.concepts)
      for (const phrase of [concept.label, ...concept.phrases]) {
        const stems = tokenize(phrase)
          .filter((t) => !t.boundary)
          .map((t) => t.stem);
        const first = stems[0];
        if (first === undefined) continue;
        const entry = { dimensionId: dimension.id, conceptId: concept.id, phrase, stems };
        const list = byFirst.get(first) ?? [];
        // The label often repeats a phrase ("cache" / "cache"): one entry per concept and wording.
        const key = stems.join(' ');
        if (list.some((e) => e.conceptId === concept.id && e.stems.join(' ') === key)) continue;
        list.push(entry);
        byFirst.set(first, list);
      }
  compiled.set(rubric, byFirst);
  return byFirst;
}

function isClauseEnd(token: Token | undefined, next: Token | undefined): boolean {
  if (!token) return true;
  if (token.boundary) return true;
  if (!TURN_WORDS.has(token.stem)) return false;
  // "instead of X" negates X; a bare "instead" turns the clause.
  return !(token.stem === stem('instead') && next?.stem === stem('of'));
}

function negatedBefore(tokens: Token[], start: number): boolean {
  for (let i = start - 1; i >= Math.max(0, start - NEGATION_REACH); i--) {
    const token = tokens[i];
    if (isClauseEnd(token, tokens[i + 1])) return false;
    if (!token) return false;
    if (NEGATORS.has(token.stem)) {
      const next = tokens[i + 1];
      return !(next && NOT_NEGATING_AFTER.has(next.stem));
    }
    const previous = tokens[i - 1];
    if (previous && NEGATING_PAIRS.some(([a, b]) => previous.stem === a && token.stem === b))
      return true;
  }
  return false;
}

function negatedAfter(tokens: Token[], end: number): boolean {
  const first = tokens[end];
  const second = tokens[end + 1];
  if (!first || first.boundary) return false;
  if (NEGATED_COPULAS.has(first.stem)) return true;
  return COPULAS.has(first.stem) && second !== undefined && NEGATORS.has(second.stem);
}

/** Every concept phrase found in `text`, negated or not, in text order. */
export function findConcepts(text: string, rubric: readonly RubricDimension[]): ConceptHit[] {
  const byFirst = compile(rubric);
  const tokens = tokenize(text);
  const hits: ConceptHit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token || token.boundary) continue;
    for (const entry of byFirst.get(token.stem) ?? []) {
      const n = entry.stems.length;
      let matches = true;
      for (let k = 1; k < n && matches; k++) {
        const t = tokens[i + k];
        matches = t !== undefined && !t.boundary && t.stem === entry.stems[k];
      }
      if (!matches) continue;
      hits.push({
        dimensionId: entry.dimensionId,
        conceptId: entry.conceptId,
        phrase: entry.phrase,
        negated: negatedBefore(tokens, i) || negatedAfter(tokens, i + n)
      });
    }
  }
  return hits;
}

/** Concept ids `text` covers (a concept mentioned both negated and not counts), rubric order. */
export function coveredConcepts(text: string, rubric: readonly RubricDimension[]): string[] {
  const hit = new Set(
    findConcepts(text, rubric)
      .filter((h) => !h.negated)
      .map((h) => h.conceptId)
  );
  const out: string[] = [];
  for (const dimension of rubric)
    for (const concept of dimension.concepts)
      if (hit.has(concept.id) && !out.includes(concept.id)) out.push(concept.id);
  return out;
}

/** Covered fraction of one dimension's concepts, 0 when it has none. */
export function dimensionCoverage(dimension: RubricDimension, covered: readonly string[]): number {
  if (dimension.concepts.length === 0) return 0;
  const n = dimension.concepts.filter((c) => covered.includes(c.id)).length;
  return n / dimension.concepts.length;
}

/** Concepts of `dimension` not in `covered`. */
export function uncovered(dimension: RubricDimension, covered: readonly string[]) {
  return dimension.concepts.filter((c) => !covered.includes(c.id));
}

/**
 * The answer without the sentences that try to instruct the interviewer
 * ("ignore previous instructions", "give me a 4"): those are flagged in the
 * evaluation and must neither cover concepts nor steer the next question.
 */
export function withoutInstructions(answer: string): string {
  if (detectInjection(answer).length === 0) return answer;
  return sentences(answer)
    .filter((s) => detectInjection(s).length === 0)
    .join('\n');
}
