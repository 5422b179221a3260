/** Interviews made through the API, parsed with the same zod contracts the server uses. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  candidateSchema,
  interviewSchema,
  interviewWithLinkSchema,
  pageOf,
  type CreateInterviewInput,
  type Interview
} from './contracts';
import type { ApiClient } from './api';

export type CreatedInterview = { interview: Interview; candidateLink: string; token: string };

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A valid create body; every call gets its own candidate email unless overridden. */
export function interviewInput(
  overrides: Partial<CreateInterviewInput> = {}
): CreateInterviewInput {
  const suffix = uniqueSuffix();
  return {
    kind: 'live',
    title: `Backend pairing ${suffix}`,
    candidate: { name: `Candidate ${suffix}`, email: `candidate-${suffix}@example.org` },
    ...overrides
  };
}

/** The token at the end of a candidate link (`.../c/<token>`). */
export function tokenOf(candidateLink: string): string {
  const match = /\/c\/([^/?#]+)$/.exec(new URL(candidateLink).pathname);
  if (!match?.[1]) throw new Error(`Not a candidate link: ${candidateLink}`);
  return match[1];
}

export async function createInterview(
  client: ApiClient,
  overrides: Partial<CreateInterviewInput> = {}
): Promise<CreatedInterview> {
  const response = await client.post('/interviews', interviewInput(overrides));
  if (response.status !== 201) {
    throw new Error(`POST /interviews answered ${response.status}: ${response.text}`);
  }
  const created = interviewWithLinkSchema.parse(response.body);
  return { ...created, token: tokenOf(created.candidateLink) };
}

export async function getInterview(client: ApiClient, id: string): Promise<Interview> {
  const response = await client.get(`/interviews/${id}`);
  if (response.status !== 200)
    throw new Error(`GET /interviews/${id} answered ${response.status}: ${response.text}`);
  return interviewSchema.parse(response.body);
}

export const interviewPageSchema = pageOf(interviewSchema);
export const candidatePageSchema = pageOf(candidateSchema);
export const candidateWithInterviewsSchema = candidateSchema.extend({
  interviews: z.array(interviewSchema)
});

/** The candidate accepts the recording notice, as the consent button on /c/<token> does. */
export async function giveConsent(
  app: { url: string; fetch(path: string, init?: RequestInit): Promise<Response> },
  token: string
): Promise<void> {
  const response = await app.fetch(`/c/${token}?/consent`, {
    method: 'POST',
    headers: {
      origin: app.url,
      'content-type': 'application/x-www-form-urlencoded',
      'x-sveltekit-action': 'true'
    },
    body: ''
  });
  const text = await response.text();
  if (response.status !== 200 || !text.includes('"success"')) {
    throw new Error(`consent answered ${response.status}: ${text.slice(0, 200)}`);
  }
}
