/**
 * Fixtures written straight through the app's services, in the test
 * process: the same code paths the admin CLI calls, without paying a
 * process start (~2 s, mostly loading better-auth) per organization, user
 * and token. The CLI itself is tested in admin-cli.test.ts.
 */
import type { Role } from '../../src/lib/contracts/common';
import { createAuth } from '../../src/lib/server/auth';
import { createDatabase } from '../../src/lib/server/db/client';
import { createApiToken, revokeApiToken } from '../../src/lib/server/services/api-tokens';
import { createOrganization, type Organization } from '../../src/lib/server/services/organizations';
import {
  createUser,
  findUserByEmail,
  setUserActive,
  type User
} from '../../src/lib/server/services/users';

export type SeededActor = { user: User; token: string; tokenId: string; password: string };

export type Seeder = {
  org(name: string): Promise<Organization>;
  /** A user with a known password and one API token. */
  actor(input: {
    organizationId: string;
    email: string;
    role: Role;
    name?: string;
  }): Promise<SeededActor>;
  /** Another token for an existing user. */
  token(actor: SeededActor, name?: string): Promise<{ token: string; tokenId: string }>;
  /** A token for a user the app created itself (e.g. the first-start admin). */
  tokenFor(email: string): Promise<string>;
  revokeToken(actor: SeededActor, tokenId: string): Promise<void>;
  setActive(actor: SeededActor, active: boolean): Promise<void>;
};

export async function seed<T>(
  databaseUrl: string,
  build: (seeder: Seeder) => Promise<T>
): Promise<T> {
  const db = createDatabase(databaseUrl, { max: 4 });
  // Only the password hasher is used: the secret and base URL do not matter here.
  const auth = createAuth({
    db,
    secret: 'test-seed-secret-not-used-for-anything',
    baseURL: 'http://localhost'
  });
  const seeder: Seeder = {
    org: (name) => createOrganization(db, name),
    async actor(input) {
      const password = `pw-${input.role}-${Math.random().toString(36).slice(2)}-long`;
      const user = await createUser(
        { db, auth },
        {
          organizationId: input.organizationId,
          email: input.email,
          role: input.role,
          name: input.name ?? input.email,
          password
        }
      );
      const { token, summary } = await createApiToken(db, {
        userId: user.id,
        organizationId: user.organizationId,
        name: 'test token'
      });
      return { user, token, tokenId: summary.id, password };
    },
    async token(actor, name = 'another test token') {
      const { token, summary } = await createApiToken(db, {
        userId: actor.user.id,
        organizationId: actor.user.organizationId,
        name
      });
      return { token, tokenId: summary.id };
    },
    async tokenFor(email) {
      const user = await findUserByEmail(db, email);
      if (!user) throw new Error(`No user ${email}`);
      const { token } = await createApiToken(db, {
        userId: user.id,
        organizationId: user.organizationId,
        name: 'test token'
      });
      return token;
    },
    revokeToken: (actor, tokenId) =>
      revokeApiToken(db, {
        userId: actor.user.id,
        organizationId: actor.user.organizationId,
        tokenId
      }),
    async setActive(actor, active) {
      await setUserActive(db, {
        organizationId: actor.user.organizationId,
        userId: actor.user.id,
        active,
        actor: { type: 'system' }
      });
    }
  };
  try {
    return await build(seeder);
  } finally {
    await db.$client.end();
  }
}
