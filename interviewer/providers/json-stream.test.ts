import { describe, expect, it } from 'vitest';
import { createJsonFieldStream } from './json-stream';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Feeds `json` in pieces of `size` characters and collects what the stream yields. */
function feed(json: string, size: number): { text: string; pieces: string[] } {
  const stream = createJsonFieldStream('message');
  const pieces: string[] = [];
  for (let i = 0; i < json.length; i += size) {
    const out = stream.push(json.slice(i, i + size));
    if (out) pieces.push(out);
  }
  return { text: pieces.join(''), pieces };
}

describe('createJsonFieldStream', () => {
  const value = 'Line one\n"quoted" \\ tab\t, café — 😀 {not: json} \u0007';
  const json = JSON.stringify({ action: 'probe', questionId: 'q1', message: value });

  it('decodes the field whatever the chunk size, escapes and surrogate pairs included', () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(feed(json, size).text).toBe(value);
    }
  });

  it('decodes \\u escapes, a surrogate pair split across chunks among them', () => {
    const escaped = '{"message":"a\\u00e9\\ud83d\\ude00b"}';
    for (const size of [1, 4, 13]) {
      const { text, pieces } = feed(escaped, size);
      expect(text).toBe('aé😀b');
      // No piece ends in half a character.
      for (const piece of pieces) expect(piece).not.toMatch(LONE_SURROGATE);
    }
  });

  it('streams text as it arrives, not at the end', () => {
    const stream = createJsonFieldStream('message');
    expect(stream.push('{"action":"probe","message":"Hel')).toBe('Hel');
    expect(stream.started).toBe(true);
    expect(stream.done).toBe(false);
    expect(stream.push('lo"}')).toBe('lo');
    expect(stream.done).toBe(true);
  });

  it('reports where the key starts, so the fields before it can be checked early', () => {
    const stream = createJsonFieldStream('message');
    const text = '{ "action": "probe",  "message": "x" }';
    stream.push(text);
    expect(stream.keyOffset).toBe(text.indexOf('"message"'));
  });

  it('ignores nested keys and values that merely equal the key', () => {
    const tricky = JSON.stringify({
      a: { message: 'nested' },
      b: ['message', { message: 'in array' }],
      c: 'message',
      message: 'top'
    });
    expect(feed(tricky, 3).text).toBe('top');
  });

  it('yields nothing for a non-string value or a missing field', () => {
    expect(feed('{"message": null, "x": "y"}', 2).text).toBe('');
    expect(feed('{"action":"probe"}', 2).text).toBe('');
  });
});
