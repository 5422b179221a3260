import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';

/** Separates these tokens from every other JWT the app signs with the same secret. */
export const DOC_TOKEN_AUDIENCE = 'tandem-yjs';
/** Issue 4: document tokens live at most 5 minutes; a reconnect needs a fresh one. */
export const MAX_DOC_TOKEN_TTL_SECONDS = 300;

export const DOC_ROLES = ['interviewer', 'candidate', 'hiring_manager', 'observer'] as const;
export type DocRole = (typeof DOC_ROLES)[number];

/** Roles whose document updates are never applied (ARCHITECTURE.md, "Realtime"). */
export const READ_ONLY_ROLES: ReadonlySet<DocRole> = new Set(['hiring_manager', 'observer']);

export function isReadOnlyRole(role: DocRole): boolean {
  return READ_ONLY_ROLES.has(role);
}

const claimsSchema = z.object({
  interviewId: z.string().min(1).max(128),
  doc: z.string().min(1).max(128),
  role: z.enum(DOC_ROLES),
  participantId: z.string().min(1).max(128),
  name: z.string().max(200),
  /** Set for a participant whose role may write but who no longer may (a candidate after the end). */
  readOnly: z.boolean().optional()
});

export type DocClaims = z.infer<typeof claimsSchema>;

export type DocTokensOptions = {
  /** HMAC key; at least 32 characters so HS256 is not brute-forceable. */
  secret: string;
  /** Token lifetime in seconds. Default 300, maximum 300. */
  ttlSeconds?: number;
};

export type DocTokens = {
  mint(claims: DocClaims): Promise<string>;
  /** Resolves the claims, or rejects on a forged, expired or foreign token. */
  verify(token: string): Promise<DocClaims>;
};

export function createDocTokens({
  secret,
  ttlSeconds = MAX_DOC_TOKEN_TTL_SECONDS
}: DocTokensOptions): DocTokens {
  if (secret.length < 32) throw new Error('doc token secret must be at least 32 characters');
  if (!(ttlSeconds > 0 && ttlSeconds <= MAX_DOC_TOKEN_TTL_SECONDS)) {
    throw new Error(`ttlSeconds must be in (0, ${MAX_DOC_TOKEN_TTL_SECONDS}]`);
  }
  const key = new TextEncoder().encode(secret);

  return {
    async mint(claims) {
      const parsed = claimsSchema.parse(claims);
      return new SignJWT(parsed)
        .setProtectedHeader({ alg: 'HS256' })
        .setAudience(DOC_TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        audience: DOC_TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'iat'],
        // A token minted elsewhere with a longer exp is still refused after 5 minutes.
        maxTokenAge: MAX_DOC_TOKEN_TTL_SECONDS
      });
      return claimsSchema.parse(payload);
    }
  };
}
