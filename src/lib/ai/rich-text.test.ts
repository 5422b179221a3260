import { describe, expect, it } from 'vitest';
import { blocks, inlines } from './rich-text';

describe('rich text', () => {
  it('finds code spans and leaves an unmatched backtick as text', () => {
    expect(inlines('Implement `call_with_retry` now')).toEqual([
      { code: false, text: 'Implement ' },
      { code: true, text: 'call_with_retry' },
      { code: false, text: ' now' }
    ]);
    expect(inlines('a ` b')).toEqual([{ code: false, text: 'a ` b' }]);
    expect(inlines('')).toEqual([]);
  });

  it('splits paragraphs and lists, never HTML', () => {
    const parsed = blocks('Intro line\nsecond line\n\n1. First `x`\n2. Second\n\n- a\n- <b>b</b>');
    expect(parsed).toEqual([
      {
        kind: 'p',
        lines: [[{ code: false, text: 'Intro line' }], [{ code: false, text: 'second line' }]]
      },
      {
        kind: 'ol',
        items: [
          [
            { code: false, text: 'First ' },
            { code: true, text: 'x' }
          ],
          [{ code: false, text: 'Second' }]
        ]
      },
      { kind: 'ul', items: [[{ code: false, text: 'a' }], [{ code: false, text: '<b>b</b>' }]] }
    ]);
  });
});
