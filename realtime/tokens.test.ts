import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DOC_TOKEN_AUDIENCE, createDocTokens, isReadOnlyRole, type DocClaims } from './tokens';

const secret = 'a-secret-that-is-long-enough-for-hs256-0123';
const claims: DocClaims = {
  interviewId: 'iv1',
  doc: 'code',
  role: 'candidate',
  participantId: 'p1',
  name: 'Cleo'
};
const key = new TextEncoder().encode(secret);

describe('createDocTokens', () => {
  it('round-trips valid claims', async () => {
    const tokens = createDocTokens({ secret });
    await expect(tokens.verify(await tokens.mint(claims))).resolves.toEqual(claims);
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(DOC_TOKEN_AUDIENCE)
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .sign(key);
    await expect(createDocTokens({ secret }).verify(token)).rejects.toThrow();
  });

  it('refuses a token older than 5 minutes even when its exp is later', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(DOC_TOKEN_AUDIENCE)
      .setIssuedAt(now - 600)
      .setExpirationTime(now + 3600)
      .sign(key);
    await expect(createDocTokens({ secret }).verify(token)).rejects.toThrow();
  });

  it('refuses a forged signature', async () => {
    const forger = createDocTokens({ secret: 'another-secret-that-is-long-enough-0123456' });
    const forged = await forger.mint(claims);
    await expect(createDocTokens({ secret }).verify(forged)).rejects.toThrow();
  });

  it('refuses a token for another audience', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('tandem-api')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(key);
    await expect(createDocTokens({ secret }).verify(token)).rejects.toThrow();
  });

  it('refuses a ttl above 5 minutes and a short secret', () => {
    expect(() => createDocTokens({ secret, ttlSeconds: 301 })).toThrow();
    expect(() => createDocTokens({ secret: 'short' })).toThrow();
  });

  it('marks hiring managers and observers read-only', () => {
    expect(isReadOnlyRole('hiring_manager')).toBe(true);
    expect(isReadOnlyRole('observer')).toBe(true);
    expect(isReadOnlyRole('candidate')).toBe(false);
    expect(isReadOnlyRole('interviewer')).toBe(false);
  });
});
