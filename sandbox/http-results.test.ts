import { describe, expect, it } from 'vitest';
import { HARNESS_CAPS, harnessInput, httpCaseResult, parseHarnessOutput } from './http-results';
import { httpTestsSchema, type HttpCase } from './http-schema';

const tests = httpTestsSchema.parse({
  port: 8080,
  cases: [
    {
      id: 'json',
      request: { method: 'post', path: '/a', body: { x: 1 } },
      expect: { status: 201 }
    },
    {
      id: 'text',
      request: {
        method: 'PUT',
        path: '/b',
        body: 'raw',
        headers: { 'content-type': 'text/plain' }
      },
      expect: { bodyContains: 'ok' }
    },
    { id: 'none', hidden: true, request: { method: 'GET', path: '/c' }, expect: { json: [1] } }
  ]
});
const [jsonCase, textCase, hiddenCase] = tests.cases as [HttpCase, HttpCase, HttpCase];
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('harnessInput', () => {
  it('serialises bodies, adds a JSON content type only when none is given, applies defaults', () => {
    const input = harnessInput(tests, tests.cases);
    expect(input).toMatchObject({ port: 8080, readyTimeoutMs: 5000, requestTimeoutMs: 2000 });
    expect(input.bodyCap).toBe(HARNESS_CAPS.bodyBytes);
    expect(input.cases[0]).toEqual({
      method: 'POST',
      path: '/a',
      headers: [['Content-Type', 'application/json']],
      body: b64('{"x":1}')
    });
    expect(input.cases[1]?.headers).toEqual([['content-type', 'text/plain']]);
    expect(input.cases[1]?.body).toBe(b64('raw'));
    expect(input.cases[2]?.body).toBeNull();
  });
});

describe('parseHarnessOutput', () => {
  it('reads the ready line and case lines, skipping malformed or cut-off ones', () => {
    const output = parseHarnessOutput(
      [
        '{"ready":true,"ms":12}',
        `{"i":0,"ms":3,"status":201,"headers":[["Content-Type","application/json"],["X-N","caf\u00c3\u00a9"]],"body":"${b64('{}')}"}`,
        'garbage',
        '{"i":1,"ms":2000,"error":"timeout"}',
        '{"i":2,"ms":1,"error":"rm -rf"}',
        '{"i":2,"ms":1,"sta'
      ].join('\n')
    );
    expect(output.ready).toBe(true);
    expect([...output.responses.keys()]).toEqual([0, 1]);
    const first = output.responses.get(0);
    expect(first && 'status' in first && first.headers['x-n']).toBe('café');
    expect(output.responses.get(1)).toEqual({ ms: 2000, error: 'timeout' });
  });

  it('reports an unknown readiness when the harness said nothing', () => {
    expect(parseHarnessOutput('').ready).toBeUndefined();
    expect(parseHarnessOutput('{"ready":false,"ms":5000}\n').ready).toBe(false);
  });
});

describe('httpCaseResult', () => {
  it('compares a response and keeps request, expectation and actual', () => {
    const result = httpCaseResult(
      jsonCase,
      { ms: 4, status: 200, headers: {}, body: Buffer.from('{"x":1}') },
      'harness_failed'
    );
    expect(result).toMatchObject({
      id: 'json',
      passed: false,
      status: 'ok',
      wallMs: 4,
      request: { method: 'POST', path: '/a', body: { x: 1 } },
      expected: { status: 201 },
      actual: { status: 200, body: '{"x":1}', bodyTruncated: false },
      failures: ['status: expected 201, got 200']
    });
  });

  it('cuts the displayed body but compares all of it', () => {
    const body = `ok${'x'.repeat(HARNESS_CAPS.resultBodyBytes)}`;
    const result = httpCaseResult(
      textCase,
      { ms: 1, status: 200, headers: {}, body: Buffer.from(body) },
      'harness_failed'
    );
    expect(result.passed).toBe(true);
    expect(result.actual?.bodyTruncated).toBe(true);
    expect(result.actual?.body.length).toBe(HARNESS_CAPS.resultBodyBytes);
  });

  it('maps harness errors and missing answers to failed cases', () => {
    expect(httpCaseResult(hiddenCase, undefined, 'not_ready')).toMatchObject({
      passed: false,
      status: 'runtime_error',
      error: 'not_ready'
    });
    expect(httpCaseResult(hiddenCase, { ms: 2000, error: 'timeout' }, 'not_ready')).toMatchObject({
      status: 'timeout',
      error: 'timeout',
      wallMs: 2000
    });
    expect(
      httpCaseResult(hiddenCase, { ms: 9, error: 'response_too_large' }, 'not_ready').status
    ).toBe('output_limit');
  });
});
