import { describe, expect, it } from 'vitest';
import { outputMatches, parseSqliteJson, rowsMatch } from './tests-harness';

describe('outputMatches', () => {
  it.each([
    ['exact', 'a\n', 'a\n', true],
    ['exact', 'a\n', 'a', false],
    ['trim', '  a b \n', 'a b', true],
    ['ignore_trailing', 'a  \nb\n\n', 'a\nb', true],
    ['ignore_trailing', ' a', 'a', false],
    ['collapse', 'a   b\n c', 'a b c', true],
    ['collapse', 'ab', 'a b', false]
  ] as const)('%s: %j vs %j → %s', (mode, expected, actual, result) => {
    expect(outputMatches(expected, actual, mode)).toBe(result);
  });

  it('treats CRLF like LF outside exact mode', () => {
    expect(outputMatches('a\r\nb\r\n', 'a\nb', 'ignore_trailing')).toBe(true);
  });
});

describe('SQL result sets', () => {
  it('parses the last of several result sets', () => {
    expect(parseSqliteJson('[{"x":1}]\n[{"y":2},\n{"y":3}]\n')).toEqual([{ y: 2 }, { y: 3 }]);
    expect(parseSqliteJson('')).toEqual([]);
    expect(parseSqliteJson('Error: boom')).toBeUndefined();
  });

  it('compares unordered sets as multisets and ignores column order', () => {
    expect(
      rowsMatch(
        [
          { a: 1, b: 'x' },
          { a: 2, b: null }
        ],
        [
          { b: null, a: 2 },
          { a: 1, b: 'x' }
        ],
        false
      )
    ).toBe(true);
    expect(rowsMatch([{ a: 1 }, { a: 2 }], [{ a: 2 }, { a: 1 }], true)).toBe(false);
    expect(rowsMatch([{ a: 1 }, { a: 1 }], [{ a: 1 }], false)).toBe(false);
    expect(rowsMatch([{ a: 1 }], [{ a: '1' }], false)).toBe(false);
  });
});
