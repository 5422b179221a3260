import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTextareaValue, diffText, transformIndex } from './text-diff';

describe('textarea to Y.Text', () => {
  it('finds the smallest splice', () => {
    expect(diffText('hello world', 'hello brave world')).toEqual({
      index: 6,
      remove: 0,
      insert: 'brave '
    });
    expect(diffText('aaa', 'aa')).toEqual({ index: 2, remove: 1, insert: '' });
    expect(diffText('abc', 'abc')).toBeNull();
    expect(diffText('', 'x')).toEqual({ index: 0, remove: 0, insert: 'x' });
  });

  it('converges when two interviewers type into the same notes at once', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    applyTextareaValue(a.getText('notes'), 'Strong on SQL.\n', 'local');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    applyTextareaValue(a.getText('notes'), 'Strong on SQL. Clear tests.\n', 'local');
    applyTextareaValue(b.getText('notes'), 'Note: Strong on SQL.\nAsk about caching.', 'local');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const merged = a.getText('notes').toString();
    expect(merged).toBe(b.getText('notes').toString());
    expect(merged).toContain('Clear tests.');
    expect(merged).toContain('Ask about caching.');
    expect(merged).toContain('Note: ');
  });

  it('moves the caret with remote inserts and deletes before it', () => {
    // "abcdef", caret after "d" (4).
    expect(transformIndex(4, [{ insert: 'XY' }])).toBe(6);
    expect(transformIndex(4, [{ retain: 5 }, { insert: 'XY' }])).toBe(4);
    expect(transformIndex(4, [{ retain: 1 }, { delete: 2 }])).toBe(2);
    // A delete across the caret puts it where the deletion started.
    expect(transformIndex(4, [{ retain: 3 }, { delete: 3 }])).toBe(3);
    expect(transformIndex(0, [{ insert: 'Z' }])).toBe(1);
  });
});
