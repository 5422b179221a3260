import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, URL-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Tokens are 256-bit random values, so one SHA-256 is enough to store them:
 * unlike passwords they cannot be guessed from a dictionary.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A password a person can type once and then replace. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
