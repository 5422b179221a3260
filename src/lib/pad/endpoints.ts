/**
 * Where the pad gets its short-lived tokens: staff through the API with
 * their session cookie, candidates through their invite link. Answers are
 * parsed, since they cross a boundary.
 */
import { z } from 'zod';
import { SESSION_ROLES } from '$realtime/events/contracts';
import type { DocToken } from './doc-connection';
import type { SessionToken } from './session-client.svelte';

export type PadAccess =
  { kind: 'staff'; interviewId: string } | { kind: 'candidate'; inviteToken: string };

const docTokenSchema = z.object({
  token: z.string().min(1),
  path: z.string().startsWith('/yjs/'),
  expiresInSeconds: z.number(),
  readOnly: z.boolean()
});

const sessionTokenSchema = z.object({
  token: z.string().min(1),
  expiresInSeconds: z.number(),
  role: z.enum(SESSION_ROLES),
  readOnly: z.boolean(),
  participant: z.object({ id: z.string(), name: z.string(), color: z.string() })
});

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** A refused token request, with the API's error code (`forbidden`, `gone`, ...). */
export class PadAccessError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'PadAccessError';
    this.status = status;
    this.code = code;
  }
}

function base(access: PadAccess): string {
  return access.kind === 'staff'
    ? `/api/v1/interviews/${encodeURIComponent(access.interviewId)}`
    : `/c/${encodeURIComponent(access.inviteToken)}`;
}

export function docTokenUrl(access: PadAccess, doc: string): string {
  return `${base(access)}/docs/${encodeURIComponent(doc)}/token`;
}

export function sessionTokenUrl(access: PadAccess): string {
  return `${base(access)}/session/token`;
}

async function post<T>(url: string, schema: z.ZodType<T>, fetcher: typeof fetch): Promise<T> {
  let response: Response;
  try {
    response = await fetcher(url, { method: 'POST', credentials: 'same-origin' });
  } catch {
    throw new PadAccessError(0, 'network', 'Tandem cannot be reached. Check your connection.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = errorSchema.safeParse(body);
    throw new PadAccessError(
      response.status,
      parsed.success ? parsed.data.error.code : 'http_error',
      parsed.success ? parsed.data.error.message : `Tandem answered ${response.status}.`
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new PadAccessError(response.status, 'bad_response', 'Tandem sent an unexpected answer.');
  }
  return parsed.data;
}

export function fetchDocToken(
  access: PadAccess,
  doc: string,
  fetcher: typeof fetch = fetch
): Promise<DocToken> {
  return post(docTokenUrl(access, doc), docTokenSchema, fetcher);
}

export function fetchSessionToken(
  access: PadAccess,
  fetcher: typeof fetch = fetch
): Promise<SessionToken> {
  return post(sessionTokenUrl(access), sessionTokenSchema, fetcher);
}
