/**
 * Pulls one string field out of a JSON object while the object is still arriving, so the
 * candidate sees the interviewer's message as the model writes it (issue 5: "streamed
 * messages") although the model writes a whole JSON decision.
 *
 * Only keys of the top-level object count: `{"a": {"message": "x"}}` has no top-level
 * `message`. The text is not validated here; the caller JSON.parses the whole object at the
 * end and checks that what was streamed equals the parsed field.
 */
export type JsonFieldStream = {
  /** Feeds the next piece of JSON text; returns the field's newly decoded characters ('' if none). */
  push(chunk: string): string;
  /** Offset in the text fed so far of the field's key (its opening quote), once seen. */
  readonly keyOffset: number | undefined;
  /** The field's string value has begun. */
  readonly started: boolean;
  /** The field's string value has ended. */
  readonly done: boolean;
};

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t'
};

export function createJsonFieldStream(field: string): JsonFieldStream {
  let offset = 0;
  let depth = 0;
  let inString = false;
  let escape = false;
  let unicode: string | null = null;
  // Top-level object bookkeeping: is the next string a key, which key did we just read.
  let expectKey = false;
  let readingKey = false;
  let key = '';
  let keyStart = 0;
  let keyOffset: number | undefined;
  let awaitingValue = false;
  let inValue = false;
  let started = false;
  let done = false;
  // A high surrogate waits for its low half so no chunk ends in half a character.
  let held = '';

  function decoded(char: string, out: string[]): void {
    if (readingKey) key += char;
    else if (inValue) out.push(char);
  }

  function push(chunk: string): string {
    const out: string[] = [held];
    held = '';
    for (const char of chunk) {
      const at = offset;
      offset += char.length;
      if (inString) {
        if (unicode !== null) {
          unicode += char;
          if (unicode.length === 4) {
            const code = /^[0-9a-f]{4}$/i.test(unicode) ? Number.parseInt(unicode, 16) : 0xfffd;
            decoded(String.fromCharCode(code), out);
            unicode = null;
          }
        } else if (escape) {
          escape = false;
          if (char === 'u') unicode = '';
          else decoded(SIMPLE_ESCAPES[char] ?? char, out);
        } else if (char === '\\') {
          escape = true;
        } else if (char === '"') {
          inString = false;
          if (readingKey) {
            readingKey = false;
            if (key === field) {
              keyOffset = keyStart;
              awaitingValue = true;
            }
          } else if (inValue) {
            inValue = false;
            done = true;
          }
        } else {
          decoded(char, out);
        }
        continue;
      }
      if (char === '"') {
        inString = true;
        if (depth === 1 && expectKey) {
          readingKey = true;
          expectKey = false;
          key = '';
          keyStart = at;
        } else if (depth === 1 && awaitingValue && !done) {
          awaitingValue = false;
          inValue = true;
          started = true;
        }
      } else if (char === '{' || char === '[') {
        depth += 1;
        if (depth === 1) expectKey = char === '{';
        awaitingValue = false;
      } else if (char === '}' || char === ']') {
        depth -= 1;
      } else if (char === ',' && depth === 1) {
        expectKey = true;
      } else if (char !== ':' && char.trim() !== '' && depth === 1) {
        awaitingValue = false; // a number, true, false or null: not the string we want
      }
    }
    let text = out.join('');
    const last = text.charCodeAt(text.length - 1);
    if (!done && last >= 0xd800 && last <= 0xdbff) {
      held = text.slice(-1);
      text = text.slice(0, -1);
    }
    return text;
  }

  return {
    push,
    get keyOffset() {
      return keyOffset;
    },
    get started() {
      return started;
    },
    get done() {
      return done;
    }
  };
}
