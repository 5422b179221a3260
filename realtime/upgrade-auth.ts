import type { IncomingMessage } from 'node:http';
import { CloseCode } from './close-codes';
import type { DocKey } from './store';
import type { DocClaims, DocTokens } from './tokens';

export type UpgradeDecision =
  { ok: true; key: DocKey; claims: DocClaims } | { ok: false; code: CloseCode; reason: string };

/** Documents only staff may open: the interviewer's private notes. */
export const STAFF_ONLY_DOCS: ReadonlySet<string> = new Set(['notes']);

const PATH = /^\/yjs\/([^/]+)\/([^/]+)\/?$/;
const INTERVIEW_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Decides an upgrade to `/yjs/<interviewId>/<doc>?token=<jwt>`. The token travels in the query
 * because browsers cannot set headers on a WebSocket and y-websocket's `params` option puts it
 * there; it lives at most 5 minutes, and the app must keep it out of access logs.
 */
export async function authorizeUpgrade(
  req: IncomingMessage,
  tokens: DocTokens,
  allowedDocs: (doc: string) => boolean
): Promise<UpgradeDecision> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = PATH.exec(url.pathname);
  let interviewId: string;
  let doc: string;
  try {
    interviewId = decodeURIComponent(match?.[1] ?? '');
    doc = decodeURIComponent(match?.[2] ?? '');
  } catch {
    return { ok: false, code: CloseCode.Malformed, reason: 'bad path' };
  }
  if (!INTERVIEW_ID.test(interviewId)) {
    return { ok: false, code: CloseCode.Malformed, reason: 'bad path' };
  }
  if (!allowedDocs(doc))
    return { ok: false, code: CloseCode.UnknownDocument, reason: 'unknown doc' };

  const token = url.searchParams.get('token');
  if (!token) return { ok: false, code: CloseCode.Unauthorized, reason: 'no token' };
  let claims: DocClaims;
  try {
    claims = await tokens.verify(token);
  } catch {
    return { ok: false, code: CloseCode.Unauthorized, reason: 'invalid token' };
  }
  if (claims.interviewId !== interviewId || claims.doc !== doc) {
    return { ok: false, code: CloseCode.Forbidden, reason: 'token for another document' };
  }
  // Checked here as well as where tokens are minted: a candidate never opens staff documents.
  if (claims.role === 'candidate' && STAFF_ONLY_DOCS.has(doc)) {
    return { ok: false, code: CloseCode.Forbidden, reason: 'staff-only document' };
  }
  return { ok: true, key: { interviewId, doc }, claims };
}
