import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Role } from '../../contracts/common';
import { inviteSchema } from '../../contracts/users';
import type { Auth } from '../auth';
import type { Database } from '../db/client';
import { invitations, organizations, users } from '../db/schema';
import { AppError, validationError } from '../errors';
import { audit } from './audit';
import { hashToken, randomToken } from './secrets';
import { createUser, type User } from './users';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export type Invitation = {
  id: string;
  organizationId: string;
  organizationName: string;
  email: string;
  name: string;
  role: Role;
  expiresAt: Date;
};

/** An admin invites a colleague; the returned token goes into the link and is not stored. */
export async function inviteColleague(
  db: Database,
  input: { organizationId: string; invitedBy: string; name: string; email: string; role: string }
): Promise<{ token: string; invitation: { id: string; email: string; expiresAt: Date } }> {
  const parsed = inviteSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, 'invitation');
  const { name, email, role } = parsed.data;
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw new AppError('conflict', `${email} already has an account.`);
  const token = randomToken();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  return db.transaction(async (tx) => {
    // A new invitation replaces any open one for the same address.
    await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invitations.organizationId, input.organizationId),
          eq(invitations.email, email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt)
        )
      );
    const [row] = await tx
      .insert(invitations)
      .values({
        organizationId: input.organizationId,
        email,
        name,
        role,
        tokenHash: hashToken(token),
        invitedBy: input.invitedBy,
        expiresAt
      })
      .returning({ id: invitations.id });
    if (!row) throw new AppError('internal_error', 'The invitation was not created.');
    await audit(tx, {
      organizationId: input.organizationId,
      actor: { type: 'user', id: input.invitedBy },
      action: 'invitation.created',
      target: { type: 'invitation', id: row.id },
      data: { email, role }
    });
    return { token, invitation: { id: row.id, email, expiresAt } };
  });
}

export async function listOpenInvitations(db: Database, organizationId: string) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      name: invitations.name,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.organizationId, organizationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date())
      )
    )
    .orderBy(desc(invitations.createdAt));
}

export async function findInvitation(db: Database, token: string): Promise<Invitation> {
  const [row] = await db
    .select({
      id: invitations.id,
      organizationId: invitations.organizationId,
      organizationName: organizations.name,
      email: invitations.email,
      name: invitations.name,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .where(eq(invitations.tokenHash, hashToken(token)));
  if (!row) throw new AppError('not_found', 'This invitation link is not valid.');
  if (row.revokedAt) throw new AppError('link_revoked', 'This invitation was withdrawn.');
  if (row.acceptedAt) throw new AppError('conflict', 'This invitation was already used: sign in.');
  if (row.expiresAt.getTime() <= Date.now()) {
    throw new AppError(
      'link_expired',
      'This invitation has expired: ask your admin for a new one.'
    );
  }
  return row;
}

export async function acceptInvitation(
  deps: { db: Database; auth: Auth },
  input: { token: string; name: string; password: string }
): Promise<User> {
  const invitation = await findInvitation(deps.db, input.token);
  // Claim first, so a link used twice at once creates one account.
  const claimed = await deps.db
    .update(invitations)
    .set({ acceptedAt: new Date() })
    .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  if (claimed.length === 0) throw new AppError('conflict', 'This invitation was already used.');
  try {
    return await createUser(
      deps,
      {
        organizationId: invitation.organizationId,
        name: input.name,
        email: invitation.email,
        role: invitation.role,
        password: input.password
      },
      { type: 'system' }
    );
  } catch (error) {
    await deps.db
      .update(invitations)
      .set({ acceptedAt: null })
      .where(eq(invitations.id, invitation.id));
    throw error;
  }
}
