import { describe, expect, it } from 'vitest';
import {
  headerValueMatches,
  jsonEquals,
  jsonSubsetMatches,
  normalizeHeaders,
  responseMismatches,
  type HttpResponse
} from './http-match';
import { httpExpectSchema } from './http-schema';

const response = (overrides: Partial<HttpResponse> = {}): HttpResponse => ({
  status: 200,
  headers: normalizeHeaders([['Content-Type', 'application/json; charset=utf-8']]),
  body: '{"id":7,"name":"Ada","tags":["a","b"],"meta":{"v":1,"at":"now"}}',
  ...overrides
});
const expectOf = (input: unknown) => httpExpectSchema.parse(input);

describe('normalizeHeaders', () => {
  it('lower-cases names and joins repeated headers', () => {
    const headers = normalizeHeaders([
      ['Set-Cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['X-Id', '3']
    ]);
    expect({ ...headers }).toEqual({ 'set-cookie': 'a=1, b=2', 'x-id': '3' });
  });

  it('keeps a header named __proto__ as a plain entry', () => {
    const headers = normalizeHeaders([['__proto__', 'x']]);
    expect(Object.hasOwn(headers, '__proto__')).toBe(true);
    expect(headers['__proto__']).toBe('x');
  });
});

describe('headerValueMatches', () => {
  it.each([
    ['application/json', 'application/json', true],
    ['application/json', 'application/json; charset=utf-8', false],
    ['/^application\\/json/', 'application/json; charset=utf-8', true],
    ['/JSON/i', 'application/json', true],
    ['/JSON/', 'application/json', false],
    ['/x/', undefined, false]
  ] as const)('%s vs %s → %s', (expected, actual, result) => {
    expect(headerValueMatches(expected, actual)).toBe(result);
  });
});

describe('jsonEquals', () => {
  it('ignores key order but not array order, types or extra keys', () => {
    expect(jsonEquals({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(jsonEquals([1, 2], [2, 1])).toBe(false);
    expect(jsonEquals({ a: 1 }, { a: '1' })).toBe(false);
    expect(jsonEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEquals({ a: undefined }, { b: 1 })).toBe(false);
    expect(jsonEquals(null, {})).toBe(false);
    expect(jsonEquals([], {})).toBe(false);
    expect(jsonEquals(null, null)).toBe(true);
  });
});

describe('jsonSubsetMatches', () => {
  it('allows extra keys at any depth, keeps arrays exact in length', () => {
    const actual = JSON.parse(response().body) as unknown;
    expect(jsonSubsetMatches({ name: 'Ada', meta: { v: 1 } }, actual)).toBe(true);
    expect(jsonSubsetMatches({ tags: ['a', 'b'] }, actual)).toBe(true);
    expect(jsonSubsetMatches({ tags: ['a'] }, actual)).toBe(false);
    expect(jsonSubsetMatches({ meta: { v: 2 } }, actual)).toBe(false);
    expect(jsonSubsetMatches({ missing: null }, actual)).toBe(false);
    expect(jsonSubsetMatches([{ id: 1 }], [{ id: 1, x: 2 }])).toBe(true);
    expect(jsonSubsetMatches({}, [])).toBe(false);
  });
});

describe('responseMismatches', () => {
  it('passes when every given expectation holds', () => {
    expect(
      responseMismatches(
        expectOf({
          status: 200,
          headers: { 'Content-Type': '/^application\\/json/' },
          json: { id: 7, name: 'Ada' },
          jsonSubset: true,
          bodyContains: '"Ada"'
        }),
        response()
      )
    ).toEqual([]);
  });

  it('names each difference', () => {
    const failures = responseMismatches(
      expectOf({
        status: 201,
        headers: { 'x-missing': 'y', 'content-type': 'text/plain' },
        json: { id: 7 },
        bodyContains: 'Grace'
      }),
      response()
    );
    expect(failures).toEqual([
      'status: expected 201, got 200',
      'header x-missing: expected "y", got none',
      'header content-type: expected "text/plain", got "application/json; charset=utf-8"',
      'json: body differs',
      'body: does not contain "Grace"'
    ]);
  });

  it('fails a JSON expectation on a body that is not JSON', () => {
    expect(responseMismatches(expectOf({ json: null }), response({ body: 'null!' }))).toEqual([
      'json: body is not valid JSON'
    ]);
    expect(responseMismatches(expectOf({ json: null }), response({ body: 'null' }))).toEqual([]);
  });

  it('does not take inherited properties for headers', () => {
    expect(
      responseMismatches(expectOf({ headers: { constructor: '/function/' } }), response())
    ).toHaveLength(1);
  });
});
