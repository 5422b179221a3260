import { endpoint, json, methodNotAllowed, readCapped } from '$lib/server/http/api';
import { liveKitWebhookOf } from '$lib/server/services/video-webhook';

/**
 * LiveKit's webhook (Content-Type application/webhook+json). The signature
 * covers the exact bytes sent, so the body is read as text and verified
 * before anything parses it. 404 when LiveKit is not configured.
 */
export const POST = endpoint(async (event) => {
  const { runtime, log } = event.locals;
  const webhook = liveKitWebhookOf(runtime);
  const body = await readCapped(event.request);
  const outcome = await webhook.receive(body, event.request.headers.get('authorization'), log);
  return json(outcome);
});

export const fallback = methodNotAllowed;
