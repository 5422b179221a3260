import type { Queryable } from '../db/client';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, users } from '../db/schema';

export type AuditActor =
  | { type: 'user'; id: string }
  | { type: 'token'; id: string }
  | { type: 'candidate'; id: string }
  | { type: 'system' };

export type AuditEntry = {
  organizationId: string | null;
  actor: AuditActor;
  action: string;
  target?: { type: string; id: string };
  data?: Record<string, unknown>;
};

export async function audit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    organizationId: entry.organizationId,
    actorType: entry.actor.type,
    actorId: 'id' in entry.actor ? entry.actor.id : null,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    data: entry.data ?? null
  });
}

export type AuditRecord = {
  id: number;
  action: string;
  actorType: string;
  actorName: string | null;
  createdAt: string;
};

/** The history of one object, oldest first, with the names of the staff who acted. */
export async function listAuditFor(
  db: Queryable,
  input: { organizationId: string; targetType: string; targetId: string }
): Promise<AuditRecord[]> {
  const rows = await db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      actorType: auditLog.actorType,
      actorName: users.name,
      createdAt: auditLog.createdAt
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(
      and(
        eq(auditLog.organizationId, input.organizationId),
        eq(auditLog.targetType, input.targetType),
        eq(auditLog.targetId, input.targetId)
      )
    )
    .orderBy(asc(auditLog.createdAt), asc(auditLog.id));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
