import { asc, eq } from 'drizzle-orm';
import { nameSchema } from '../../contracts/common';
import type { Queryable } from '../db/client';
import { organizations } from '../db/schema';
import { AppError, validationError } from '../errors';

export type Organization = { id: string; name: string; createdAt: Date };

export async function createOrganization(db: Queryable, name: string): Promise<Organization> {
  const parsed = nameSchema.safeParse(name);
  if (!parsed.success) throw validationError(parsed.error, 'organization name');
  const [row] = await db.insert(organizations).values({ name: parsed.data }).returning();
  if (!row) throw new AppError('internal_error', 'The organization was not created.');
  return row;
}

export async function getOrganization(db: Queryable, id: string): Promise<Organization | null> {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  return row ?? null;
}

export async function listOrganizations(db: Queryable): Promise<Organization[]> {
  return db.select().from(organizations).orderBy(asc(organizations.createdAt));
}

/** Accepts an organization's id or its exact name (for the CLI). */
export async function findOrganization(db: Queryable, idOrName: string): Promise<Organization> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrName);
  const rows = isUuid
    ? await db.select().from(organizations).where(eq(organizations.id, idOrName))
    : await db.select().from(organizations).where(eq(organizations.name, idOrName));
  if (rows.length === 0) throw new AppError('not_found', `No organization "${idOrName}".`);
  if (rows.length > 1) {
    throw new AppError('conflict', `Several organizations are named "${idOrName}": use its id.`);
  }
  return rows[0] as Organization;
}
