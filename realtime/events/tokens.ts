import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { MAX_DOC_TOKEN_TTL_SECONDS } from '../tokens';
import { SESSION_ROLES } from './contracts';

/** Separates session tokens from document tokens signed with the same key. */
export const SESSION_TOKEN_AUDIENCE = 'tandem-session';
export const SESSION_TOKEN_TTL_SECONDS = MAX_DOC_TOKEN_TTL_SECONDS;

const claimsSchema = z.object({
  interviewId: z.string().min(1).max(128),
  role: z.enum(SESSION_ROLES),
  participantId: z.string().min(1).max(128),
  name: z.string().max(200)
});
export type SessionClaims = z.infer<typeof claimsSchema>;

export type SessionTokens = {
  mint(claims: SessionClaims): Promise<string>;
  verify(token: string): Promise<SessionClaims>;
};

/** Short-lived tokens that admit one participant to one interview's socket.io session. */
export function createSessionTokens({ secret }: { secret: string }): SessionTokens {
  if (secret.length < 32) throw new Error('session token secret must be at least 32 characters');
  const key = new TextEncoder().encode(secret);
  return {
    async mint(claims) {
      return new SignJWT(claimsSchema.parse(claims))
        .setProtectedHeader({ alg: 'HS256' })
        .setAudience(SESSION_TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${SESSION_TOKEN_TTL_SECONDS}s`)
        .sign(key);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        audience: SESSION_TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: SESSION_TOKEN_TTL_SECONDS
      });
      return claimsSchema.parse(payload);
    }
  };
}
