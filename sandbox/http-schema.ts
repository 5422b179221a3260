import { z } from 'zod';

/**
 * Request shape of HTTP-service tasks (`request.httpTests`): the candidate's
 * program serves on `port` inside its own network namespace and a separate
 * sandboxed harness sends each case's request. See docs/sandbox.md.
 */
export const HTTP_CAPS = Object.freeze({
  cases: 50,
  /** Bytes of one request body (after JSON serialisation). */
  requestBodyBytes: 256 * 1024,
  /** Bytes of all request bodies together: they travel to the harness through one pipe. */
  totalRequestBodyBytes: 1024 * 1024,
  requestHeaders: 32,
  pathLength: 2048,
  /** Bytes of an expected JSON value or bodyContains text. */
  expectationBytes: 256 * 1024,
  regexLength: 200,
  readyTimeoutMs: { default: 5_000, max: 20_000 },
  requestTimeoutMs: { default: 2_000, max: 10_000 }
});

/** Languages whose programs can serve HTTP from the standard library. */
export const HTTP_LANGUAGES: readonly string[] = [
  'python',
  'javascript',
  'typescript',
  'go',
  'java'
];

// RFC 9110 token: method and header names.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Anything that could split the request line or a header (CR, LF, NUL, other controls).
const hasControl = (text: string) =>
  [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
const isPath = (text: string) => text.startsWith('/') && !/\s/.test(text) && !hasControl(text);

/** `/pattern/flags` marks a header expectation as a regular expression. */
export const REGEX_VALUE = /^\/(.*)\/([imsu]*)$/s;

function isValidRegexValue(value: string): boolean {
  const match = REGEX_VALUE.exec(value);
  if (!match) return true;
  if ((match[1] ?? '').length > HTTP_CAPS.regexLength) return false;
  try {
    new RegExp(match[1] ?? '', match[2]);
    return true;
  } catch {
    return false;
  }
}

// A value JSON cannot carry (cycles, BigInt) counts as too large rather than throwing mid-parse.
function jsonByteLength(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return Infinity;
  }
}

/** The bytes a case's body goes out as; `json` says whether it was a JSON value. */
export function serializeBody(body: unknown): { text: string; json: boolean } | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return { text: body, json: false };
  return { text: JSON.stringify(body) ?? 'null', json: true };
}

const bodyByteLength = (body: unknown) =>
  typeof body === 'string' ? Buffer.byteLength(body) : jsonByteLength(body);

const headerName = z.string().min(1).max(100).regex(TOKEN, 'header names must be HTTP tokens');

export const httpRequestSchema = z.strictObject({
  method: z
    .string()
    .min(1)
    .max(16)
    .regex(TOKEN, 'method must be an HTTP token')
    .transform((method) => method.toUpperCase()),
  path: z
    .string()
    .max(HTTP_CAPS.pathLength)
    .refine(isPath, 'path must start with "/" and contain no spaces or control characters'),
  headers: z
    .record(
      headerName,
      z
        .string()
        .max(8192)
        .refine((v) => !hasControl(v), 'no control chars')
    )
    .refine((h) => Object.keys(h).length <= HTTP_CAPS.requestHeaders, 'too many headers')
    .optional(),
  /** A string is sent as is; any other JSON value is serialised with content-type application/json. */
  body: z
    .unknown()
    .refine((body) => bodyByteLength(body) <= HTTP_CAPS.requestBodyBytes, {
      message: `body is larger than ${HTTP_CAPS.requestBodyBytes} bytes`
    })
    .optional()
});

export const httpExpectSchema = z
  .strictObject({
    status: z.number().int().min(100).max(599).optional(),
    /** Case-insensitive names; values exact, or `/regex/flags`. */
    headers: z
      .record(
        headerName,
        z.string().max(8192).refine(isValidRegexValue, 'invalid or too long /regex/')
      )
      .optional(),
    /** Deep equality with the parsed JSON body (or subset match with jsonSubset). */
    json: z
      .unknown()
      .refine((value) => jsonByteLength(value) <= HTTP_CAPS.expectationBytes, 'json too large')
      .optional(),
    jsonSubset: z.boolean().default(false),
    bodyContains: z.string().max(HTTP_CAPS.expectationBytes).optional()
  })
  .refine(
    (e) =>
      e.status !== undefined ||
      e.headers !== undefined ||
      e.json !== undefined ||
      e.bodyContains !== undefined,
    'expect must check at least one of status, headers, json, bodyContains'
  );

export const httpCaseSchema = z.strictObject({
  id: z.string().min(1).max(100),
  hidden: z.boolean().default(false),
  request: httpRequestSchema,
  expect: httpExpectSchema
});

export const httpTestsSchema = z
  .strictObject({
    /** Port the program must listen on inside its sandbox (127.0.0.1 or 0.0.0.0). */
    port: z.number().int().min(1024).max(65535),
    /** How long the harness waits for the port to accept connections. */
    readyTimeoutMs: z
      .number()
      .int()
      .positive()
      .max(HTTP_CAPS.readyTimeoutMs.max)
      .default(HTTP_CAPS.readyTimeoutMs.default),
    /** Per request, connection to last body byte. */
    requestTimeoutMs: z
      .number()
      .int()
      .positive()
      .max(HTTP_CAPS.requestTimeoutMs.max)
      .default(HTTP_CAPS.requestTimeoutMs.default),
    cases: z.array(httpCaseSchema).min(1).max(HTTP_CAPS.cases)
  })
  .refine(
    (t) =>
      t.cases.reduce((n, c) => n + bodyByteLength(c.request.body), 0) <=
      HTTP_CAPS.totalRequestBodyBytes,
    `request bodies are larger than ${HTTP_CAPS.totalRequestBodyBytes} bytes in total`
  );

export type HttpTests = z.output<typeof httpTestsSchema>;
export type HttpCase = z.output<typeof httpCaseSchema>;
export type HttpRequestSpec = z.output<typeof httpRequestSchema>;
export type HttpExpect = z.output<typeof httpExpectSchema>;
