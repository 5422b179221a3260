import { z } from 'zod';
import type { HarnessInput } from './http-harness-script';
import { normalizeHeaders, responseMismatches } from './http-match';
import { serializeBody, type HttpCase, type HttpTests } from './http-schema';
import type { HttpCaseError, RunStatus, TestCaseResult } from './types';

/**
 * Pure glue between the host and the harness: what goes into its stdin, how
 * its stdout is read, and how each case becomes a TestCaseResult.
 */
export const HARNESS_CAPS = Object.freeze({
  /** One response body; bigger ones fail the case with response_too_large. */
  bodyBytes: 1024 * 1024,
  /** One response's headers as escaped JSON; bigger ones fail with headers_too_large. */
  headBytes: 64 * 1024,
  /** All responses of one run together: bounds what the host buffers (50 × 1 MiB would not). */
  budgetBytes: 8 * 1024 * 1024,
  /** Harness stdout: the budget in base64 plus per-line overhead, with room to spare. */
  stdoutBytes: 12 * 1024 * 1024,
  /** Body text kept in a result for display; comparisons use the whole body. */
  resultBodyBytes: 64 * 1024
});

export function harnessInput(tests: HttpTests, cases: HttpCase[]): HarnessInput {
  return {
    port: tests.port,
    readyTimeoutMs: tests.readyTimeoutMs,
    requestTimeoutMs: tests.requestTimeoutMs,
    bodyCap: HARNESS_CAPS.bodyBytes,
    headCap: HARNESS_CAPS.headBytes,
    budget: HARNESS_CAPS.budgetBytes,
    cases: cases.map(({ request }) => {
      const body = serializeBody(request.body);
      const headers = Object.entries(request.headers ?? {});
      const hasType = headers.some(([name]) => name.toLowerCase() === 'content-type');
      if (body?.json && !hasType) headers.push(['Content-Type', 'application/json']);
      return {
        method: request.method,
        path: request.path,
        headers,
        body: body === undefined ? null : Buffer.from(body.text).toString('base64')
      };
    })
  };
}

const ERRORS = [
  'timeout',
  'connection_refused',
  'connection_reset',
  'connection_closed',
  'connection_error',
  'response_too_large',
  'headers_too_large',
  'bad_response'
] as const satisfies readonly HttpCaseError[];

const readyLine = z.object({ ready: z.boolean(), ms: z.number() });
const caseLine = z.union([
  z.object({
    i: z.number().int().nonnegative(),
    ms: z.number().nonnegative(),
    status: z.number().int(),
    headers: z.array(z.tuple([z.string(), z.string()])),
    body: z.base64()
  }),
  z.object({
    i: z.number().int().nonnegative(),
    ms: z.number().nonnegative(),
    error: z.enum(ERRORS)
  })
]);

export type HarnessResponse =
  | { ms: number; status: number; headers: Record<string, string>; body: Buffer }
  | { ms: number; error: HttpCaseError };

export interface HarnessOutput {
  /** undefined when the harness never reported (killed before the ready line). */
  ready: boolean | undefined;
  responses: Map<number, HarnessResponse>;
}

// http.client decodes header bytes as latin-1; re-encoding restores them, and
// UTF-8 is what a server written in any of our languages actually sends.
const headerText = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');

/** Reads the harness's JSON lines; a malformed or cut-off line is skipped, never trusted. */
export function parseHarnessOutput(stdout: string): HarnessOutput {
  const output: HarnessOutput = { ready: undefined, responses: new Map() };
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const ready = readyLine.safeParse(value);
    if (ready.success) {
      output.ready ??= ready.data.ready;
      continue;
    }
    const parsed = caseLine.safeParse(value);
    if (!parsed.success) continue;
    const data = parsed.data;
    output.responses.set(
      data.i,
      'error' in data
        ? { ms: data.ms, error: data.error }
        : {
            ms: data.ms,
            status: data.status,
            headers: normalizeHeaders(data.headers.map(([k, v]) => [headerText(k), headerText(v)])),
            body: Buffer.from(data.body, 'base64')
          }
    );
  }
  return output;
}

function statusOfError(error: HttpCaseError): RunStatus {
  switch (error) {
    case 'timeout':
      return 'timeout';
    case 'response_too_large':
    case 'headers_too_large':
      return 'output_limit';
    case 'harness_failed':
      return 'internal_error';
    default:
      return 'runtime_error';
  }
}

/**
 * One case's result. `missing` is the error for a case the harness never
 * answered (not_ready, or what stopped the harness).
 */
export function httpCaseResult(
  testCase: HttpCase,
  response: HarnessResponse | undefined,
  missing: HttpCaseError
): TestCaseResult {
  const { request, expect } = testCase;
  const common = {
    id: testCase.id,
    hidden: testCase.hidden,
    request: {
      method: request.method,
      path: request.path,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {})
    },
    expected: expect
  };
  if (!response || 'error' in response) {
    const error = response?.error ?? missing;
    return {
      ...common,
      passed: false,
      status: statusOfError(error),
      wallMs: response?.ms ?? 0,
      error
    };
  }
  const body = response.body.toString('utf8');
  const failures = responseMismatches(expect, { ...response, body });
  const shown = response.body.subarray(0, HARNESS_CAPS.resultBodyBytes);
  return {
    ...common,
    passed: failures.length === 0,
    status: 'ok',
    wallMs: response.ms,
    actual: {
      status: response.status,
      headers: response.headers,
      // A cut may split a UTF-8 sequence; the decoder then shows one U+FFFD.
      body: shown.toString('utf8'),
      bodyTruncated: shown.length < response.body.length
    },
    ...(failures.length > 0 ? { failures } : {})
  };
}
