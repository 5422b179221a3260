/** A small /api/v1 client for tests, and the assertions every error response must pass. */
import { expect } from 'vitest';
import { errorBodySchema, type ErrorCode } from '../../src/lib/contracts/errors';

/** A `tdm_` API token, raw header values, or nobody. */
export type Credential = string | { authorization: string } | { cookie: string } | null;

export type ApiResponse = {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body; undefined when the response is not JSON. */
  body: unknown;
};

export type RequestOptions = {
  /** Sent as JSON with Content-Type: application/json. */
  json?: unknown;
  /** Sent as is; set the content-type yourself in `headers`. */
  body?: string;
  headers?: Record<string, string>;
};

export type ApiClient = {
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  get(path: string): Promise<ApiResponse>;
  post(path: string, json?: unknown): Promise<ApiResponse>;
};

function credentialHeaders(credential: Credential): Record<string, string> {
  if (credential === null) return {};
  if (typeof credential === 'string') return { authorization: `Bearer ${credential}` };
  if ('authorization' in credential) return { authorization: credential.authorization };
  return { cookie: credential.cookie };
}

export async function readResponse(response: Response): Promise<ApiResponse> {
  const text = await response.text();
  let body: unknown;
  if (/json/.test(response.headers.get('content-type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** `path` is relative to /api/v1, e.g. `/interviews?status=scheduled`. */
export function api(baseUrl: string, credential: Credential): ApiClient {
  const request: ApiClient['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...credentialHeaders(credential) };
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    Object.assign(headers, options.headers);
    const response = await fetch(new URL(`/api/v1${path}`, baseUrl), {
      method,
      headers,
      body,
      redirect: 'manual'
    });
    return readResponse(response);
  };
  return {
    request,
    get: (path) => request('GET', path),
    post: (path, json) => request('POST', path, json === undefined ? {} : { json })
  };
}

function containsKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsKey(item, key));
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => k === key || containsKey(v, key));
}

/**
 * The response is `{ error: { code, message } }` with the given status and
 * code, JSON, and gives nothing of the server's insides away.
 */
export function expectApiError(response: ApiResponse, status: number, code: ErrorCode): void {
  const context = `${response.status} ${response.text.slice(0, 500)}`;
  expect(response.status, context).toBe(status);
  expect(response.headers.get('content-type') ?? '', context).toMatch(/^application\/json/);
  const parsed = errorBodySchema.safeParse(response.body);
  expect(parsed.success, `not an error body: ${context}`).toBe(true);
  if (!parsed.success) return;
  expect(parsed.data.error.code, context).toBe(code);
  expect(parsed.data.error.message.trim().length, context).toBeGreaterThan(0);
  expectNoInternals(response);
}

/** No stack, no source paths, no SQL in a response body. */
export function expectNoInternals(response: ApiResponse): void {
  expect(containsKey(response.body, 'stack'), response.text).toBe(false);
  expect(response.text).not.toMatch(/\n\s+at |node_modules|\/work\/|\.ts:\d+|\.js:\d+|server\.ts/);
  expect(response.text).not.toMatch(/\b(SELECT|INSERT INTO|violates|duplicate key)\b/);
}
