/**
 * Text primitives for the offline engine: tokens with clause boundaries kept,
 * a light stemmer, and stop words. Concept phrases and candidate answers go
 * through the same functions, so "caching", "cached" and "caches" all meet
 * "cache" (issue 5, 2b: "phrases and synonyms").
 */

/** A word token, or a clause boundary (punctuation that ends a negation's reach). */
export type Token = { stem: string; boundary: boolean };

/** Marks the end of a clause; never part of a phrase match. */
const BOUNDARY = '|';

/**
 * Lower case, apostrophes dropped ("didn't" → "didnt"), hyphens and slashes
 * split words ("dead-letter" → "dead letter"), clause punctuation (. , ; : ! ?
 * and line breaks) kept as a boundary token.
 */
export function tokenize(text: string): Token[] {
  // A hand-written scanner: answers reach 4000 characters on every turn, and a regex iterator
  // would allocate a match object per word.
  const tokens: Token[] = [];
  const lowered = text.toLowerCase().replace(/['’‘`]/g, '');
  let start = -1;
  const boundary = () => {
    if (tokens.length > 0 && !tokens[tokens.length - 1]!.boundary) tokens.push(BOUNDARY_TOKEN);
  };
  for (let i = 0; i <= lowered.length; i++) {
    const c = i < lowered.length ? lowered.charCodeAt(i) : 32;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      tokens.push({ stem: stem(lowered.slice(start, i)), boundary: false });
      start = -1;
    }
    // A full stop is a boundary only before white space: "3.5" and "node.js" are not split into
    // clauses. Parentheses are not boundaries, so "O(1)" matches the phrase "o(1)".
    if (c === 44 || c === 59 || c === 58 || c === 10)
      boundary(); // , ; : \n
    else if (c === 46 || c === 33 || c === 63) {
      const after = lowered.charCodeAt(i + 1);
      if (Number.isNaN(after) || WHITE_SPACE.test(lowered[i + 1] ?? '')) boundary(); // . ! ?
    }
  }
  return tokens;
}

const BOUNDARY_TOKEN: Token = Object.freeze({ stem: BOUNDARY, boundary: true });
const WHITE_SPACE = /\s/;

/** Stemmed words only, boundaries removed. */
export function words(text: string): string[] {
  return tokenize(text)
    .filter((t) => !t.boundary)
    .map((t) => t.stem);
}

/**
 * A deliberately small stemmer: plural -s/-es/-ies, -ing, -ed, a doubled final
 * consonant, a final -e. It only has to map a phrase and the candidate's
 * wording of it to the same string; it need not produce English.
 */
// Vocabulary is small and repeats across answers: remember stems (bounded, cleared when full).
const stems = new Map<string, string>();
const STEM_CACHE_SIZE = 50_000;

export function stem(word: string): string {
  let cached = stems.get(word);
  if (cached === undefined) {
    cached = computeStem(word);
    if (stems.size >= STEM_CACHE_SIZE) stems.clear();
    stems.set(word, cached);
  }
  return cached;
}

function computeStem(word: string): string {
  let w = word;
  if (w.length <= 3 || /^\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  let suffixed = false;
  if (w.endsWith('ing') && w.length >= 6) {
    w = w.slice(0, -3);
    suffixed = true;
  } else if (w.endsWith('ed') && !w.endsWith('eed') && w.length >= 5) {
    w = w.slice(0, -2);
    suffixed = true;
  }
  // "stopped" → "stop", "running" → "run"; "fall", "pass", "buzz" keep theirs.
  if (suffixed && /([b-df-hj-kmnp-rtv-y])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

const STOP = [
  'a an the and or but if then so than that this these those there here it its',
  'i me my we our us you your he she they them their his her',
  'is are was were be been being am do does did doing done have has had having',
  'will would could should can may might must shall',
  'of in on at to for from by with about as into onto over under up down out off',
  'what which who whom whose when where why how all any each every some such no not',
  'only own same too very just also really actually basically well yes yeah ok okay',
  'one thing things stuff something anything way lot lots bit kind sort',
  'use using used make made get got go going think know want need like',
  'say said tell mean let put take see look try',
  'im ive id ill dont didnt doesnt isnt wasnt arent wont wouldnt cant cannot couldnt shouldnt',
  'hmm um uh er erm oh ah'
]
  .join(' ')
  .split(' ');

/** Stems of words that carry no topic (for vocabulary overlap, never for phrase matching). */
export const STOP_STEMS: ReadonlySet<string> = new Set(STOP.map(stem));

/** Stemmed words minus stop words. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOP_STEMS.has(w));
}

/** Whitespace collapsed and trimmed: the only normalisation evidence quotes get. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Sentences of a message as verbatim slices (trimmed), so a sentence can be
 * quoted as evidence and still be found in the message.
 */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const push = (end: number) => {
    const s = text.slice(start, end).trim();
    if (/[a-z0-9]/i.test(s)) out.push(s);
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') push(i + 1);
    // A full stop ends a sentence only before white space or the end: "3.5 s", "e.g.x" stay whole.
    else if ((c === '.' || c === '!' || c === '?') && /\s/.test(text[i + 1] ?? ' ')) push(i + 1);
  }
  push(text.length);
  return out;
}
