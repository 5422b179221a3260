import { describe, expect, it } from 'vitest';
import { parseRequest } from './request';
import { SandboxError } from './errors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof SandboxError ? error.code : 'not-a-sandbox-error';
  }
  return undefined;
}

describe('parseRequest', () => {
  it('accepts a minimal request and fills defaults', () => {
    const request = parseRequest({ language: 'python', files: { 'main.py': 'print(1)' } });
    expect(request.priority).toBe('interactive');
  });

  it.each([
    ['empty files', { language: 'python', files: {} }],
    ['parent path', { language: 'python', files: { '../x': '' } }],
    ['absolute path', { language: 'python', files: { '/etc/x': '' } }],
    ['dot dir', { language: 'python', files: { '.tandem/x': '' } }],
    ['huge file', { language: 'python', files: { 'a.py': 'x'.repeat(300 * 1024) } }],
    [
      'bad utf-8 stdin',
      { language: 'python', files: { 'a.py': '' }, stdin: new Uint8Array([0xff, 0xfe]) }
    ],
    ['lone surrogate', { language: 'python', files: { 'a.py': '' }, stdin: '\ud800' }],
    ['unknown entry', { language: 'python', files: { 'a.py': '' }, entry: 'b.py' }],
    ['negative limit', { language: 'python', files: { 'a.py': '' }, limits: { wallMs: -1 } }],
    ['unknown field', { language: 'python', files: { 'a.py': '' }, extra: 1 }]
  ])('rejects %s as invalid_request', (_name, input) => {
    expect(codeOf(() => parseRequest(input))).toBe('invalid_request');
  });
});

describe('httpTests', () => {
  const base = { language: 'python', files: { 'main.py': '' } };
  const ok = { id: 'a', request: { method: 'GET', path: '/x' }, expect: { status: 200 } };

  it('accepts a case list and fills defaults', () => {
    const request = parseRequest({ ...base, httpTests: { port: 8080, cases: [ok] } });
    expect(request.httpTests).toMatchObject({ readyTimeoutMs: 5000, requestTimeoutMs: 2000 });
    expect(request.httpTests?.cases[0]).toMatchObject({
      hidden: false,
      expect: { jsonSubset: false }
    });
  });

  it.each([
    ['privileged port', { port: 80, cases: [ok] }],
    ['ready timeout above the maximum', { port: 8080, readyTimeoutMs: 20_001, cases: [ok] }],
    ['no cases', { port: 8080, cases: [] }],
    ['51 cases', { port: 8080, cases: Array.from({ length: 51 }, () => ok) }],
    [
      'path without slash',
      { port: 8080, cases: [{ ...ok, request: { method: 'GET', path: 'x' } }] }
    ],
    [
      'CRLF in the path',
      { port: 8080, cases: [{ ...ok, request: { method: 'GET', path: '/x\r\nHost: y' } }] }
    ],
    [
      'CRLF in a header value',
      {
        port: 8080,
        cases: [{ ...ok, request: { method: 'GET', path: '/', headers: { a: 'b\r\nc: d' } } }]
      }
    ],
    [
      'method with a space',
      { port: 8080, cases: [{ ...ok, request: { method: 'GE T', path: '/' } }] }
    ],
    [
      'huge body',
      {
        port: 8080,
        cases: [{ ...ok, request: { method: 'POST', path: '/', body: 'x'.repeat(300 * 1024) } }]
      }
    ],
    ['broken regex', { port: 8080, cases: [{ ...ok, expect: { headers: { a: '/(/' } } }] }],
    ['empty expectation', { port: 8080, cases: [{ ...ok, expect: {} }] }],
    ['unknown case field', { port: 8080, cases: [{ ...ok, extra: 1 }] }]
  ])('rejects %s as invalid_request', (_name, httpTests) => {
    expect(codeOf(() => parseRequest({ ...base, httpTests }))).toBe('invalid_request');
  });

  it('cannot be combined with stdin tests', () => {
    expect(
      codeOf(() =>
        parseRequest({
          ...base,
          tests: [{ id: 't', expectedStdout: '' }],
          httpTests: { port: 8080, cases: [ok] }
        })
      )
    ).toBe('invalid_request');
  });
});
