import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { emailSchema, nameSchema, roleSchema, type Role } from '../../contracts/common';
import { passwordSchema } from '../../contracts/users';
import { z } from 'zod';
import type { Auth } from '../auth';
import { hashPassword } from '../auth';
import type { Database, Queryable } from '../db/client';
import { accounts, sessions, users } from '../db/schema';
import { AppError, isUniqueViolation, validationError } from '../errors';
import { audit, type AuditActor } from './audit';

export type User = {
  id: string;
  name: string;
  email: string;
  organizationId: string;
  role: Role;
  active: boolean;
  mustChangePassword: boolean;
  createdAt: Date;
};

const newUserSchema = z.object({
  organizationId: z.uuid(),
  name: nameSchema,
  email: emailSchema,
  role: roleSchema,
  password: passwordSchema,
  mustChangePassword: z.boolean().default(false)
});
export type NewUser = z.input<typeof newUserSchema>;

const columns = {
  id: users.id,
  name: users.name,
  email: users.email,
  organizationId: users.organizationId,
  role: users.role,
  active: users.active,
  mustChangePassword: users.mustChangePassword,
  createdAt: users.createdAt
};

/** Creates a user and their credential in one transaction. */
export async function createUser(
  deps: { db: Queryable; auth: Auth },
  input: NewUser,
  actor: AuditActor = { type: 'system' }
): Promise<User> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, 'user');
  const data = parsed.data;
  const hash = await hashPassword(deps.auth, data.password);
  const id = randomUUID();
  try {
    return await deps.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          id,
          name: data.name,
          email: data.email,
          emailVerified: true,
          organizationId: data.organizationId,
          role: data.role,
          mustChangePassword: data.mustChangePassword
        })
        .returning(columns);
      await tx.insert(accounts).values({
        id: randomUUID(),
        accountId: id,
        providerId: 'credential',
        userId: id,
        password: hash
      });
      await audit(tx, {
        organizationId: data.organizationId,
        actor,
        action: 'user.created',
        target: { type: 'user', id },
        data: { email: data.email, role: data.role }
      });
      if (!user) throw new AppError('internal_error', 'The user was not created.');
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', `A user with the email ${data.email} already exists.`, {
        cause: error
      });
    }
    throw error;
  }
}

export async function findUserByEmail(db: Queryable, email: string): Promise<User | null> {
  const [row] = await db
    .select(columns)
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()));
  return row ?? null;
}

export async function getUser(db: Queryable, id: string): Promise<User | null> {
  const [row] = await db.select(columns).from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function listUsers(db: Queryable, organizationId?: string): Promise<User[]> {
  const query = db.select(columns).from(users);
  const rows = organizationId
    ? await query.where(eq(users.organizationId, organizationId)).orderBy(asc(users.name))
    : await query.orderBy(asc(users.organizationId), asc(users.name));
  return rows;
}

/** Deactivated users cannot sign in, and their sessions and API tokens stop working. */
export async function setUserActive(
  db: Database,
  input: { organizationId: string; userId: string; active: boolean; actor: AuditActor }
): Promise<User> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ active: input.active, updatedAt: new Date() })
      .where(and(eq(users.id, input.userId), eq(users.organizationId, input.organizationId)))
      .returning(columns);
    if (!user) throw new AppError('not_found', 'That user was not found.');
    if (!input.active) await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await audit(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: input.active ? 'user.activated' : 'user.deactivated',
      target: { type: 'user', id: user.id }
    });
    return user;
  });
}

export async function clearMustChangePassword(db: Queryable, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ mustChangePassword: false, updatedAt: new Date() })
    .where(eq(users.id, userId));
}
