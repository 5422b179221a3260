import { randomUUID } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { AppError, validationError, isAppError } from '../errors';
import type { Logger } from '../log';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * An oversized body is still read (and thrown away) up to this size before
 * the 413 goes out: closing a socket with unread data makes the kernel send a
 * reset that can destroy the response before the client reads it.
 */
const DRAIN_LIMIT_BYTES = 32 * 1024 * 1024;

/** A client that stops sending for this long is not waited for. */
const DRAIN_IDLE_MS = 1000;

/** Reads and discards what is left of a body, up to the drain limit. */
export async function drainBody(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  already = 0
): Promise<void> {
  let size = already;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = () =>
    new Promise<'idle'>((resolve) => {
      timer = setTimeout(() => resolve('idle'), DRAIN_IDLE_MS);
    });
  try {
    while (size <= DRAIN_LIMIT_BYTES) {
      const next = await Promise.race([reader.read(), idle()]);
      clearTimeout(timer);
      if (next === 'idle' || next.done) return;
      size += next.value.byteLength;
    }
  } catch {
    // The client gave up: nothing left to protect.
  } finally {
    clearTimeout(timer);
  }
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers }
  });
}

/** Turns any error into the public error shape; unknown errors are logged and hidden. */
export function errorResponse(error: unknown, log: Logger): Response {
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds) headers['retry-after'] = String(error.retryAfterSeconds);
    // The rest of an oversized body is never read: the connection cannot be reused.
    if (error.code === 'payload_too_large') headers.connection = 'close';
    return json(error.toBody(), error.status, headers);
  }
  const errorId = randomUUID();
  log.error({ err: error, errorId }, 'unexpected error');
  return json(
    {
      error: {
        code: 'internal_error',
        message: `Something went wrong on our side. Quote ${errorId} when reporting it.`,
        errorId
      }
    },
    500
  );
}

/** The raw body as text, at most MAX_BODY_BYTES (webhooks verify signatures over it). */
export async function readCapped(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await drainBody(reader, size);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

function tooLarge(): AppError {
  return new AppError('payload_too_large', `The request body is over ${MAX_BODY_BYTES} bytes.`);
}

/** Reads a JSON body (at most 1 MB) and validates it. */
export async function readJson<T extends z.ZodType>(
  request: Request,
  schema: T,
  what = 'request body'
): Promise<z.output<T>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError('bad_request', 'Send a JSON body with Content-Type: application/json.');
  }
  const text = await readCapped(request);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, what);
  return parsed.data;
}

export function readQuery<T extends z.ZodType>(url: URL, schema: T): z.output<T> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw validationError(parsed.error, 'query');
  return parsed.data;
}

export function readParam<T extends z.ZodType>(
  value: string | undefined,
  schema: T,
  what: string
): z.output<T> {
  const parsed = schema.safeParse(value);
  // A malformed id cannot name anything: answer as for an unknown one.
  if (!parsed.success) throw new AppError('not_found', `That ${what} was not found.`);
  return parsed.data;
}

type Handler = (event: RequestEvent) => Promise<Response>;

/** Exported as `fallback` by API routes: other methods get the API's error shape. */
export const methodNotAllowed: Handler = async (event) =>
  json(
    {
      error: {
        code: 'method_not_allowed',
        message: `${event.request.method} is not supported on ${event.url.pathname}.`
      }
    },
    405
  );

/** Wraps an /api/v1 endpoint so every failure leaves as `{ error: { code, message } }`. */
export function endpoint(handler: Handler): Handler {
  return async (event) => {
    try {
      return await handler(event);
    } catch (error) {
      return errorResponse(error, event.locals.log);
    }
  };
}
