import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { parseSetCookieHeader, toCookieOptions } from 'better-auth/cookies';
import type { Cookies } from '@sveltejs/kit';
import type { Database } from './db/client';
import { schema } from './db/schema';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

export function createAuth(options: { db: Database; secret: string; baseURL: string }) {
  return betterAuth({
    appName: 'Tandem',
    baseURL: options.baseURL,
    secret: options.secret,
    telemetry: { enabled: false },
    database: drizzleAdapter(options.db, {
      provider: 'pg',
      schema: {
        users: schema.users,
        sessions: schema.sessions,
        accounts: schema.accounts,
        verifications: schema.verifications
      }
    }),
    user: {
      modelName: 'users',
      additionalFields: {
        organizationId: { type: 'string', required: true, input: false },
        role: { type: 'string', required: true, input: false },
        active: { type: 'boolean', required: false, input: false, defaultValue: true },
        mustChangePassword: {
          type: 'boolean',
          required: false,
          input: false,
          defaultValue: false
        }
      }
    },
    session: {
      modelName: 'sessions',
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24
    },
    account: { modelName: 'accounts' },
    verification: { modelName: 'verifications' },
    emailAndPassword: {
      enabled: true,
      // Staff join by invitation only.
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH
    },
    // Sign-in is rate-limited by Tandem's own limiter (per email and per address).
    rateLimit: { enabled: false },
    advanced: {
      useSecureCookies: options.baseURL.startsWith('https:'),
      cookiePrefix: 'tandem',
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' }
    }
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** Copies the cookies that better-auth set on its response onto the SvelteKit response. */
export function applyAuthCookies(headers: Headers, cookies: Cookies): void {
  const setCookie = headers.get('set-cookie');
  if (!setCookie) return;
  for (const [name, attributes] of parseSetCookieHeader(setCookie)) {
    cookies.set(name, attributes.value, {
      ...toCookieOptions(attributes),
      httpOnly: true,
      path: attributes.path || '/'
    });
  }
}

/** Hashes a password with better-auth's own hasher (scrypt). */
export async function hashPassword(auth: Auth, password: string): Promise<string> {
  const context = await auth.$context;
  return context.password.hash(password);
}
