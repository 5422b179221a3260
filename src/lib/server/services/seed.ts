import { count } from 'drizzle-orm';
import type { Auth } from '../auth';
import type { Database } from '../db/client';
import { organizations } from '../db/schema';
import type { Logger } from '../log';
import { createInterview } from './interviews';
import { createOrganization } from './organizations';
import type { StaffPrincipal } from './principal';
import { generatePassword } from './secrets';
import { createUser } from './users';

export const DEMO_ADMIN_EMAIL = 'admin@example.com';

const demoInterviews = [
  {
    kind: 'live',
    title: 'Senior backend engineer: payments service pairing',
    candidate: { name: 'Ada Lovelace', email: 'ada@example.com' },
    scheduledInDays: 2
  },
  {
    kind: 'async',
    title: 'Backend engineer (async): design trade-offs and incidents',
    candidate: { name: 'Alan Turing', email: 'alan@example.com' },
    scheduledInDays: null
  },
  {
    kind: 'live',
    title: 'Platform engineer: rate limiter design',
    candidate: { name: 'Grace Hopper', email: 'grace@example.com' },
    scheduledInDays: 5
  }
] as const;

export type FirstStartCredentials = { email: string; password: string };

/**
 * On an empty database: a demo organization, an admin with a random
 * password (shown once, to be changed at first sign-in) and demo interviews.
 */
export async function seedFirstStart(deps: {
  db: Database;
  auth: Auth;
  log: Logger;
  inviteTtlHours: number;
}): Promise<FirstStartCredentials | null> {
  const { db, log } = deps;
  const client = await db.$client.connect();
  try {
    // Two nodes starting on one empty database must not both seed.
    await client.query('SELECT pg_advisory_lock(7261002)');
    const [row] = await db.select({ n: count() }).from(organizations);
    if ((row?.n ?? 0) > 0) return null;

    // One transaction: a failed first start leaves an empty database to seed again.
    const { org, password } = await db.transaction(async (tx) => {
      const org = await createOrganization(tx, 'Demo organization');
      const password = generatePassword();
      const admin = await createUser(
        { db: tx, auth: deps.auth },
        {
          organizationId: org.id,
          name: 'Demo Admin',
          email: DEMO_ADMIN_EMAIL,
          role: 'admin',
          password,
          mustChangePassword: true
        }
      );
      const principal: StaffPrincipal = {
        kind: 'staff',
        userId: admin.id,
        organizationId: org.id,
        role: 'admin',
        name: admin.name,
        email: admin.email,
        via: 'session',
        mustChangePassword: false
      };
      for (const demo of demoInterviews) {
        const scheduledAt =
          demo.scheduledInDays === null
            ? null
            : new Date(Date.now() + demo.scheduledInDays * 86_400_000).toISOString();
        await createInterview(
          tx,
          principal,
          { kind: demo.kind, title: demo.title, candidate: demo.candidate, scheduledAt },
          { ttlHours: deps.inviteTtlHours }
        );
      }
      return { org, password };
    });
    log.info({ organizationId: org.id }, 'first start: demo organization created');
    return { email: DEMO_ADMIN_EMAIL, password };
  } finally {
    await client.query('SELECT pg_advisory_unlock(7261002)').catch(() => undefined);
    client.release();
  }
}

/** Printed once, on the terminal only: never logged, never stored in clear. */
export function formatCredentials(credentials: FirstStartCredentials, origin: string): string {
  const lines = [
    'Tandem is ready. Sign in as the demo admin:',
    '',
    `  URL:      ${origin}/login`,
    `  Email:    ${credentials.email}`,
    `  Password: ${credentials.password}`,
    '',
    'This password is shown only now; you will be asked to choose your own.'
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  const bar = '+' + '-'.repeat(width + 2) + '+';
  return [bar, ...lines.map((l) => `|  ${l.padEnd(width)}|`), bar, ''].join('\n');
}
