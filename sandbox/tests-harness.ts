import type { Whitespace } from './request';

/**
 * Pure comparison logic for hidden tests: stdin/expected-stdout cases and
 * SQL result sets. Kept free of I/O so it is unit-tested exhaustively.
 */
export function normalizeOutput(text: string, mode: Whitespace): string {
  const unix = text.replace(/\r\n/g, '\n');
  switch (mode) {
    case 'exact':
      return text;
    case 'trim':
      return unix.trim();
    case 'ignore_trailing':
      // Trailing spaces per line and trailing blank lines are invisible in a terminal.
      return unix
        .split('\n')
        .map((line) => line.trimEnd())
        .join('\n')
        .replace(/\n+$/, '');
    case 'collapse':
      return unix.split(/\s+/).filter(Boolean).join(' ');
  }
}

export function outputMatches(expected: string, actual: string, mode: Whitespace): boolean {
  return normalizeOutput(expected, mode) === normalizeOutput(actual, mode);
}

export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

/**
 * Parses `sqlite3 -json` output. Each statement that returns rows prints one
 * JSON array; a file with several SELECTs prints several, and the last one is
 * the candidate's answer. Empty output means an empty result set.
 */
export function parseSqliteJson(stdout: string): SqlRow[] | undefined {
  const text = stdout.trim();
  if (text === '') return [];
  const arrays = text.split(/\]\s*\n\s*\[/);
  const last = arrays.length === 1 ? text : `[${arrays[arrays.length - 1]}`;
  try {
    const parsed: unknown = JSON.parse(last);
    return Array.isArray(parsed) && parsed.every(isRow) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isRow(value: unknown): value is SqlRow {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => v === null || typeof v === 'string' || typeof v === 'number')
  );
}

// Column order is not significant (SELECT a, b vs b, a); names and values are.
function canonicalRow(row: SqlRow): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((key) => [key, row[key]])
  );
}

export function rowsMatch(expected: SqlRow[], actual: SqlRow[], ordered: boolean): boolean {
  if (expected.length !== actual.length) return false;
  const left = expected.map(canonicalRow);
  const right = actual.map(canonicalRow);
  if (!ordered) {
    left.sort();
    right.sort();
  }
  return left.every((row, index) => row === right[index]);
}
