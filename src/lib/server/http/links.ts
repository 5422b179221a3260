import type { RequestEvent } from '@sveltejs/kit';

export function publicOrigin(event: RequestEvent): string {
  return event.locals.runtime.origin ?? event.url.origin;
}

export function candidateLink(event: RequestEvent, token: string): string {
  return `${publicOrigin(event)}/c/${token}`;
}

export function invitationLink(event: RequestEvent, token: string): string {
  return `${publicOrigin(event)}/invite/${token}`;
}
