/**
 * What kind of answer the candidate gave, before any rubric matching decides
 * what to ask next (issue 5, 1: "handles 'I don't know', 'can you repeat
 * that', off-topic answers and silence"; 2b: "asks for specifics when an
 * answer is vague").
 */
import { STOP_STEMS, contentWords, stem, words } from './text';

export type AnswerKind = 'silence' | 'repeat' | 'dont_know' | 'off_topic' | 'vague' | 'answer';

/** Fillers that, alone, are no answer at all. */
const FILLERS = new Set(['hmm', 'hm', 'um', 'umm', 'uh', 'er', 'erm', 'ah', 'oh', 'ok', 'okay']);

const REPEAT = [
  /\b(can|could|would) you (please )?(repeat|rephrase|say (that|it) again)/,
  /\brepeat (that|the question|it|please)\b/,
  /^(please )?repeat\b/,
  /\bsay (that|it) again\b/,
  /\b(what|which) was the question\b/,
  /\bdid ?n[o']?t (catch|hear|get) (that|it|the question)\b/,
  /\bcome again\b/,
  /^(sorry|pardon)\W*(\?|$)/,
  /\bone more time\b/
];

const DONT_KNOW = [
  /\bi (really )?(do ?n[o']?t|do not|dont) know\b/,
  /\b(no|not a) (idea|clue)\b/,
  /\b(i'?m|i am) not sure\b/,
  /^not sure\b/,
  /\b(idk|dunno)\b/,
  /\bnever heard of\b/,
  /\bi (can'?t|cannot) answer\b/,
  /\bi have no experience\b/,
  /^(pass|skip)( please| this one)?\W*$/
];

/** Words that commit to nothing on their own. */
const HEDGES = [
  'maybe',
  'perhaps',
  'probably',
  'possibly',
  'it depends',
  'depends',
  'something like',
  'some kind of',
  'kind of',
  'sort of',
  'i guess',
  'i suppose',
  'in general',
  'generally',
  'usually',
  'whatever',
  'stuff',
  'things',
  'etc',
  'and so on',
  'best practice',
  'best practices'
];

/** An answer with fewer content words than this is vague unless it hits the rubric. */
export const MIN_CONTENT_WORDS = 6;
/** "I don't know" and "repeat that" are only recognised in short messages (in words). */
export const SHORT_MESSAGE_WORDS = 18;
/** Off-topic needs at least this many content words with no overlap at all. */
export const OFF_TOPIC_MIN_WORDS = 5;

export type Classification = {
  kind: AnswerKind;
  /** Content words of the answer that also occur in the question's vocabulary. */
  overlap: number;
  contentWords: number;
  hedges: number;
  numbers: number;
};

function normalise(text: string): string {
  return text.toLowerCase().replace(/[’‘`]/g, "'").replace(/\s+/g, ' ').trim();
}

/**
 * `vocabulary`: stems of the question's own words (prompt, rubric, probes, and
 * for coding tasks identifiers from the code). `conceptHits`: how many rubric
 * concepts the answer covers; an answer that hits the rubric is never vague or
 * off-topic.
 */
export function classifyAnswer(
  answer: string,
  vocabulary: ReadonlySet<string>,
  conceptHits: number
): Classification {
  const text = normalise(answer);
  const all = words(text);
  const content = all.filter((w) => !STOP_STEMS.has(w));
  const overlap = content.filter((w) => vocabulary.has(w)).length;
  const numbers = all.filter((w) => /\d/.test(w)).length;
  const hedges = HEDGES.filter((h) => new RegExp(`\\b${h}\\b`).test(text)).length;
  const base = { overlap, contentWords: content.length, hedges, numbers };

  if (all.length === 0 || all.every((w) => FILLERS.has(w) || FILLERS.has(stem(w))))
    return { ...base, kind: 'silence' };
  const short = all.length <= SHORT_MESSAGE_WORDS;
  if (short && conceptHits === 0 && REPEAT.some((r) => r.test(text)))
    return { ...base, kind: 'repeat' };
  if (short && conceptHits === 0 && DONT_KNOW.some((r) => r.test(text)))
    return { ...base, kind: 'dont_know' };
  if (conceptHits > 0) return { ...base, kind: 'answer' };
  if (content.length >= OFF_TOPIC_MIN_WORDS && overlap === 0) return { ...base, kind: 'off_topic' };
  if (content.length < MIN_CONTENT_WORDS) return { ...base, kind: 'vague' };
  if (hedges > 0 && numbers === 0 && overlap < 3) return { ...base, kind: 'vague' };
  return { ...base, kind: 'answer' };
}

/** Stems of everything a question says, minus stop words: what "on topic" means. */
export function vocabularyOf(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of texts) for (const w of contentWords(t)) out.add(w);
  return out;
}
