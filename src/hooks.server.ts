import { randomUUID } from 'node:crypto';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { json, MAX_BODY_BYTES } from '$lib/server/http/api';
import { isForgeable, redactPath } from '$lib/server/http/guards';
import { resolvePrincipal } from '$lib/server/http/principal';
import { getRuntime } from '$lib/server/runtime';

export const init: ServerInit = async () => {
  await getRuntime();
};

const securityHeaders: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Candidate links carry a secret in the path: never send it on as a referrer.
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(self), microphone=(self), display-capture=()'
};

export const handle: Handle = async ({ event, resolve }) => {
  const started = performance.now();
  const runtime = await getRuntime();
  const reqId = randomUUID();
  event.locals.runtime = runtime;
  event.locals.reqId = reqId;
  event.locals.log = runtime.log.child({ reqId });

  const isApi = event.url.pathname.startsWith('/api/');
  let response: Response;
  event.locals.principal = null;
  if (isForgeable(event.request, event.url)) {
    const message = 'Cross-site requests are refused: send this from Tandem itself.';
    response = isApi
      ? json({ error: { code: 'forbidden', message } }, 403)
      : new Response(message, { status: 403, headers: { 'content-type': 'text/plain' } });
  } else if (isApi && Number(event.request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) {
    // Refused on its headers. Node reads and discards the unread body itself
    // before reusing the connection, so the client still gets this answer.
    response = json(
      {
        error: {
          code: 'payload_too_large',
          message: `The request body is over ${MAX_BODY_BYTES} bytes.`
        }
      },
      413
    );
  } else {
    event.locals.principal = await resolvePrincipal(event.request, runtime);
    response = await resolve(event);
  }
  for (const [name, value] of Object.entries(securityHeaders)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  if (isApi || event.url.pathname.startsWith('/c/'))
    response.headers.set('cache-control', 'no-store');
  event.locals.log.info(
    {
      method: event.request.method,
      path: redactPath(event.url.pathname),
      status: response.status,
      ms: Math.round(performance.now() - started)
    },
    'request'
  );
  return response;
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status < 500) return { message };
  const errorId = randomUUID();
  const log = event.locals.log ?? console;
  log.error({ err: error, errorId, path: redactPath(event.url.pathname) }, 'unexpected error');
  return {
    message: 'Something went wrong on our side.',
    code: 'internal_error',
    errorId
  };
};
