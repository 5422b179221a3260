import { and, asc, count, eq, ilike, or } from 'drizzle-orm';
import type { Candidate } from '../../contracts/interviews';
import type { Queryable } from '../db/client';
import { candidates } from '../db/schema';
import { AppError, isUniqueViolation } from '../errors';

export type CandidateRow = typeof candidates.$inferSelect;

export function toCandidate(row: CandidateRow): Candidate {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    createdAt: row.createdAt.toISOString()
  };
}

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One candidate per email in an organization. The name is refreshed when a
 * new interview gives a different one.
 */
export async function upsertCandidate(
  db: Queryable,
  input: { organizationId: string; name: string; email: string }
): Promise<CandidateRow> {
  const [row] = await db
    .insert(candidates)
    .values(input)
    .onConflictDoUpdate({
      target: [candidates.organizationId, candidates.email],
      set: { name: input.name }
    })
    .returning();
  if (!row) throw new AppError('internal_error', 'The candidate was not saved.');
  return row;
}

export async function createCandidate(
  db: Queryable,
  input: { organizationId: string; name: string; email: string }
): Promise<CandidateRow> {
  try {
    const [row] = await db.insert(candidates).values(input).returning();
    if (!row) throw new AppError('internal_error', 'The candidate was not saved.');
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', `A candidate with the email ${input.email} already exists.`, {
        cause: error
      });
    }
    throw error;
  }
}

export async function getCandidate(
  db: Queryable,
  organizationId: string,
  id: string
): Promise<CandidateRow> {
  const [row] = await db
    .select()
    .from(candidates)
    .where(and(eq(candidates.id, id), eq(candidates.organizationId, organizationId)));
  if (!row) throw new AppError('not_found', 'That candidate was not found.');
  return row;
}

export async function listCandidates(
  db: Queryable,
  organizationId: string,
  query: { q?: string | undefined; page: number; pageSize: number }
): Promise<{ items: CandidateRow[]; total: number }> {
  const where = and(
    eq(candidates.organizationId, organizationId),
    query.q
      ? or(
          ilike(candidates.name, likePattern(query.q)),
          ilike(candidates.email, likePattern(query.q))
        )
      : undefined
  );
  const [items, totals] = await Promise.all([
    db
      .select()
      .from(candidates)
      .where(where)
      .orderBy(asc(candidates.name), asc(candidates.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ total: count() }).from(candidates).where(where)
  ]);
  return { items, total: totals[0]?.total ?? 0 };
}
