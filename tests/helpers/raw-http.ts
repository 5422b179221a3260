/**
 * Requests fetch() cannot make precisely enough: bodies streamed in chunks
 * (Transfer-Encoding: chunked) or announced with a Content-Length, where
 * the server may answer before it has read them.
 */
import { request } from 'node:http';
import { readResponse, type ApiResponse } from './api';

export type RawBody = {
  /** Total bytes to send: `fill` repeated, after `prefix`, before `suffix`. */
  size: number;
  prefix?: string;
  suffix?: string;
  fill?: string;
  /** true: Transfer-Encoding: chunked, no Content-Length. */
  chunked: boolean;
  /**
   * false: send the headers (with the Content-Length) and wait for the
   * answer before sending any of the body. For refusals decided on the
   * headers alone: a server that answers early and closes would otherwise
   * race the client's writes (EPIPE/ECONNRESET instead of the response).
   */
  sendBody?: boolean;
};

const CHUNK = 64 * 1024;

function bodyBytes(body: RawBody): Buffer {
  const prefix = Buffer.from(body.prefix ?? '');
  const suffix = Buffer.from(body.suffix ?? '');
  const middle = body.size - prefix.length - suffix.length;
  if (middle < 0) throw new Error('prefix and suffix are longer than the body');
  return Buffer.concat([prefix, Buffer.alloc(middle, body.fill ?? 'a'), suffix]);
}

/**
 * POSTs `body` and resolves with the response. Stops writing once the
 * response has arrived: a server that refuses a large body early may close
 * the connection on the rest, and that is not a failure.
 */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  body: RawBody
): Promise<ApiResponse> {
  const bytes = bodyBytes(body);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, {
      method: 'POST',
      // A connection of its own: a refused body can leave a connection unusable, and must not affect the next test.
      agent: false,
      headers: body.chunked ? headers : { ...headers, 'content-length': String(bytes.length) }
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        // The rest of the body will not be sent: drop the connection rather than leave it half-written.
        req.destroy();
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined)
            headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const response = new Response(Buffer.concat(chunks), {
          status: res.statusCode ?? 0,
          headers
        });
        readResponse(response).then(resolve, reject);
      });
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (body.sendBody === false) {
      req.flushHeaders();
      return;
    }
    const write = async () => {
      for (let offset = 0; offset < bytes.length && !answered; offset += CHUNK) {
        const ok = req.write(bytes.subarray(offset, offset + CHUNK));
        if (!ok) await new Promise<void>((done) => req.once('drain', done));
      }
      if (!answered) req.end();
    };
    write().catch((error: unknown) => {
      if (!answered) reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

export type HeldRequest = {
  /** Resolves once the server has sent `100 Continue`: the request is in its handler. */
  accepted: Promise<void>;
  /** Sends the body. */
  send(): void;
  response: Promise<ApiResponse>;
};

/**
 * A POST whose body is held back until `send()`, with `Expect: 100-continue`
 * so the test knows the server is already handling it: a request in flight.
 */
export function holdPost(url: string, headers: Record<string, string>, body: string): HeldRequest {
  const req = request(url, {
    method: 'POST',
    agent: false,
    headers: {
      ...headers,
      expect: '100-continue',
      'content-length': String(Buffer.byteLength(body))
    }
  });
  const accepted = new Promise<void>((resolve, reject) => {
    req.once('continue', () => resolve());
    req.once('error', reject);
  });
  const response = new Promise<ApiResponse>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const contentType = res.headers['content-type'] ?? '';
        readResponse(
          new Response(Buffer.concat(chunks), {
            status: res.statusCode ?? 0,
            headers: { 'content-type': contentType }
          })
        ).then(resolve, reject);
      });
    });
  });
  // Either promise may be left unobserved when the other settles first.
  accepted.catch(() => undefined);
  response.catch(() => undefined);
  req.flushHeaders();
  return { accepted, send: () => req.end(body), response };
}
