import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Role } from '../../contracts/common';
import type { Database, Queryable } from '../db/client';
import { apiTokens, users } from '../db/schema';
import { AppError } from '../errors';
import { audit } from './audit';
import type { StaffPrincipal } from './principal';
import { hashToken, randomToken } from './secrets';

const TOKEN_PREFIX = 'tdm_';

export type ApiTokenSummary = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** Creates a token for a user. The returned `token` is the only copy: only its hash is kept. */
export async function createApiToken(
  db: Database,
  input: { userId: string; organizationId: string; name: string }
): Promise<{ token: string; summary: ApiTokenSummary }> {
  const token = TOKEN_PREFIX + randomToken();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: input.userId,
        name: input.name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6)
      })
      .returning();
    if (!row) throw new AppError('internal_error', 'The token was not created.');
    await audit(tx, {
      organizationId: input.organizationId,
      actor: { type: 'user', id: input.userId },
      action: 'api_token.created',
      target: { type: 'api_token', id: row.id }
    });
    return { token, summary: summarise(row) };
  });
}

function summarise(row: typeof apiTokens.$inferSelect): ApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt
  };
}

export async function listApiTokens(db: Queryable, userId: string): Promise<ApiTokenSummary[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map(summarise);
}

export async function revokeApiToken(
  db: Database,
  input: { userId: string; organizationId: string; tokenId: string }
): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(apiTokens.id, input.tokenId),
          eq(apiTokens.userId, input.userId),
          isNull(apiTokens.revokedAt)
        )
      )
      .returning({ id: apiTokens.id });
    if (rows.length === 0) throw new AppError('not_found', 'That token was not found.');
    await audit(tx, {
      organizationId: input.organizationId,
      actor: { type: 'user', id: input.userId },
      action: 'api_token.revoked',
      target: { type: 'api_token', id: input.tokenId }
    });
  });
}

/** Resolves a bearer token to its user, refusing revoked tokens and deactivated users. */
export async function principalFromToken(
  db: Queryable,
  token: string
): Promise<StaffPrincipal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      lastUsedAt: apiTokens.lastUsedAt,
      userId: users.id,
      organizationId: users.organizationId,
      role: users.role,
      name: users.name,
      email: users.email,
      active: users.active
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row || !row.active) return null;
  // Coarse last-use tracking keeps the hot path free of a write per request.
  const now = Date.now();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > 60_000) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiTokens.id, row.tokenId));
  }
  return {
    kind: 'staff',
    userId: row.userId,
    organizationId: row.organizationId,
    role: row.role satisfies Role,
    name: row.name,
    email: row.email,
    via: 'token',
    mustChangePassword: false
  };
}
