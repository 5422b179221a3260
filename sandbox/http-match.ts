import { REGEX_VALUE, type HttpExpect } from './http-schema';

/**
 * Pure comparison of one HTTP response with a case's expectations. The
 * harness only transports bytes; every verdict is made here, on the host, so
 * it is unit-tested without sandboxes.
 */
export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (RFC 9110 §5.3). */
  headers: Record<string, string>;
  body: string;
}

export function normalizeHeaders(
  pairs: readonly (readonly [string, string])[]
): Record<string, string> {
  // A null prototype: a header named __proto__ must stay a plain entry.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return headers;
}

/** Exact match, or a `/pattern/flags` regular expression (searched, not anchored). */
export function headerValueMatches(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  const regex = REGEX_VALUE.exec(expected);
  if (!regex) return expected === actual;
  return new RegExp(regex[1] ?? '', regex[2]).test(actual);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values: key order is irrelevant, array order is not. */
export function jsonEquals(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((item, index) => jsonEquals(item, actual[index]))
    );
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return false;
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length &&
      keys.every((key) => Object.hasOwn(actual, key) && jsonEquals(expected[key], actual[key]))
    );
  }
  return expected === actual;
}

/**
 * Every key of every expected object must be present and match; extra keys
 * in the actual body are allowed at any depth (ids, timestamps). Arrays keep
 * their length and order, each element matched as a subset.
 */
export function jsonSubsetMatches(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((item, index) => jsonSubsetMatches(item, actual[index]))
    );
  }
  if (isPlainObject(expected)) {
    return (
      isPlainObject(actual) &&
      Object.keys(expected).every(
        (key) => Object.hasOwn(actual, key) && jsonSubsetMatches(expected[key], actual[key])
      )
    );
  }
  return jsonEquals(expected, actual);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

/**
 * Checks a response against a case's expectations. Returns what differs, in
 * words for a candidate's visible cases; an empty list means the case passed.
 */
export function responseMismatches(expect: HttpExpect, response: HttpResponse): string[] {
  const failures: string[] = [];
  if (expect.status !== undefined && expect.status !== response.status)
    failures.push(`status: expected ${expect.status}, got ${response.status}`);
  for (const [name, expected] of Object.entries(expect.headers ?? {})) {
    const key = name.toLowerCase();
    const actual = Object.hasOwn(response.headers, key) ? response.headers[key] : undefined;
    if (!headerValueMatches(expected, actual))
      failures.push(
        `header ${name.toLowerCase()}: expected ${quote(expected)}, got ${actual === undefined ? 'none' : quote(actual)}`
      );
  }
  if (expect.json !== undefined) {
    const parsed = parseJson(response.body);
    if (!parsed.ok) failures.push('json: body is not valid JSON');
    else if (!(expect.jsonSubset ? jsonSubsetMatches : jsonEquals)(expect.json, parsed.value))
      failures.push(
        expect.jsonSubset ? 'json: body does not contain the expected fields' : 'json: body differs'
      );
  }
  if (expect.bodyContains !== undefined && !response.body.includes(expect.bodyContains))
    failures.push(`body: does not contain ${quote(expect.bodyContains)}`);
  return failures;
}
