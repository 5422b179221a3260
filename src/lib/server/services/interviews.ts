import { and, count, desc, eq, ilike, isNull, or, type SQL } from 'drizzle-orm';
import {
  createInterviewSchema,
  type Interview,
  type ListInterviewsQuery
} from '../../contracts/interviews';
import type { Database, Queryable } from '../db/client';
import { candidates, interviews, organizations, users } from '../db/schema';
import { AppError, validationError } from '../errors';
import { audit, type AuditActor } from './audit';
import { likePattern, toCandidate, upsertCandidate } from './candidates';
import type { StaffPrincipal } from './principal';
import { hashToken, randomToken } from './secrets';

export type InviteOptions = { ttlHours: number };

const selection = {
  interview: interviews,
  candidate: candidates,
  creator: { id: users.id, name: users.name }
};

type Joined = {
  interview: typeof interviews.$inferSelect;
  candidate: typeof candidates.$inferSelect;
  creator: { id: string; name: string } | null;
};

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

export function linkState(row: typeof interviews.$inferSelect, now = Date.now()) {
  if (row.inviteRevokedAt || !row.inviteTokenHash) return 'revoked' as const;
  if (!row.inviteExpiresAt || row.inviteExpiresAt.getTime() <= now) return 'expired' as const;
  return 'active' as const;
}

export function toInterview({ interview, candidate, creator }: Joined): Interview {
  return {
    id: interview.id,
    kind: interview.kind,
    status: interview.status,
    title: interview.title,
    scheduledAt: iso(interview.scheduledAt),
    createdAt: interview.createdAt.toISOString(),
    updatedAt: interview.updatedAt.toISOString(),
    cancelledAt: iso(interview.cancelledAt),
    consentAt: iso(interview.consentAt),
    candidate: toCandidate(candidate),
    createdBy: creator,
    link: {
      state: linkState(interview),
      expiresAt: iso(interview.inviteExpiresAt),
      revokedAt: iso(interview.inviteRevokedAt)
    }
  };
}

function actorOf(principal: StaffPrincipal): AuditActor {
  return { type: principal.via === 'token' ? 'token' : 'user', id: principal.userId };
}

function newInvite(options: InviteOptions) {
  const token = randomToken();
  return {
    token,
    inviteTokenHash: hashToken(token),
    inviteExpiresAt: new Date(Date.now() + options.ttlHours * 3600 * 1000),
    inviteRevokedAt: null
  };
}

async function loadJoined(db: Queryable, organizationId: string, id: string): Promise<Joined> {
  const [row] = await db
    .select(selection)
    .from(interviews)
    .innerJoin(candidates, eq(candidates.id, interviews.candidateId))
    .leftJoin(users, eq(users.id, interviews.createdBy))
    .where(and(eq(interviews.id, id), eq(interviews.organizationId, organizationId)));
  if (!row) throw new AppError('not_found', 'That interview was not found.');
  return row;
}

/** Creates the candidate (or reuses them by email), the interview and its invite, atomically. */
export async function createInterview(
  db: Queryable,
  principal: StaffPrincipal,
  input: unknown,
  options: InviteOptions
): Promise<{ interview: Interview; token: string }> {
  const parsed = createInterviewSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, 'interview');
  const data = parsed.data;
  const invite = newInvite(options);
  return db.transaction(async (tx) => {
    const candidate = await upsertCandidate(tx, {
      organizationId: principal.organizationId,
      name: data.candidate.name,
      email: data.candidate.email
    });
    const [row] = await tx
      .insert(interviews)
      .values({
        organizationId: principal.organizationId,
        candidateId: candidate.id,
        kind: data.kind,
        title: data.title,
        scheduledAt: data.scheduledAt ? new Date(data.scheduledAt) : null,
        createdBy: principal.userId,
        inviteTokenHash: invite.inviteTokenHash,
        inviteExpiresAt: invite.inviteExpiresAt
      })
      .returning({ id: interviews.id });
    if (!row) throw new AppError('internal_error', 'The interview was not created.');
    await audit(tx, {
      organizationId: principal.organizationId,
      actor: actorOf(principal),
      action: 'interview.created',
      target: { type: 'interview', id: row.id },
      data: { kind: data.kind }
    });
    return {
      interview: toInterview(await loadJoined(tx, principal.organizationId, row.id)),
      token: invite.token
    };
  });
}

export async function getInterview(
  db: Queryable,
  organizationId: string,
  id: string
): Promise<Interview> {
  return toInterview(await loadJoined(db, organizationId, id));
}

export async function listInterviews(
  db: Queryable,
  organizationId: string,
  query: ListInterviewsQuery
): Promise<{ items: Interview[]; total: number }> {
  const conditions: (SQL | undefined)[] = [eq(interviews.organizationId, organizationId)];
  if (query.status) conditions.push(eq(interviews.status, query.status));
  if (query.kind) conditions.push(eq(interviews.kind, query.kind));
  if (query.candidate) {
    const text = query.candidate;
    conditions.push(
      /^[0-9a-f-]{36}$/i.test(text)
        ? eq(interviews.candidateId, text)
        : or(ilike(candidates.name, likePattern(text)), ilike(candidates.email, likePattern(text)))
    );
  }
  const where = and(...conditions);
  const [rows, totals] = await Promise.all([
    db
      .select(selection)
      .from(interviews)
      .innerJoin(candidates, eq(candidates.id, interviews.candidateId))
      .leftJoin(users, eq(users.id, interviews.createdBy))
      .where(where)
      .orderBy(desc(interviews.createdAt), desc(interviews.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db
      .select({ total: count() })
      .from(interviews)
      .innerJoin(candidates, eq(candidates.id, interviews.candidateId))
      .where(where)
  ]);
  return { items: rows.map(toInterview), total: totals[0]?.total ?? 0 };
}

export async function listCandidateInterviews(
  db: Queryable,
  organizationId: string,
  candidateId: string
): Promise<Interview[]> {
  const rows = await db
    .select(selection)
    .from(interviews)
    .innerJoin(candidates, eq(candidates.id, interviews.candidateId))
    .leftJoin(users, eq(users.id, interviews.createdBy))
    .where(
      and(eq(interviews.organizationId, organizationId), eq(interviews.candidateId, candidateId))
    )
    .orderBy(desc(interviews.createdAt));
  return rows.map(toInterview);
}

export async function cancelInterview(
  db: Database,
  principal: StaffPrincipal,
  id: string
): Promise<Interview> {
  return db.transaction(async (tx) => {
    const current = await loadJoined(tx, principal.organizationId, id);
    const status = current.interview.status;
    if (status === 'cancelled')
      throw new AppError('conflict', 'This interview is already cancelled.');
    if (status === 'completed')
      throw new AppError('conflict', 'A completed interview cannot be cancelled.');
    const now = new Date();
    await tx
      .update(interviews)
      .set({ status: 'cancelled', cancelledAt: now, inviteRevokedAt: now, updatedAt: now })
      .where(eq(interviews.id, id));
    await audit(tx, {
      organizationId: principal.organizationId,
      actor: actorOf(principal),
      action: 'interview.cancelled',
      target: { type: 'interview', id }
    });
    return toInterview(await loadJoined(tx, principal.organizationId, id));
  });
}

export async function revokeInviteLink(
  db: Database,
  principal: StaffPrincipal,
  id: string
): Promise<Interview> {
  return db.transaction(async (tx) => {
    const current = await loadJoined(tx, principal.organizationId, id);
    if (current.interview.inviteRevokedAt) {
      throw new AppError('conflict', 'The candidate link is already revoked.');
    }
    const now = new Date();
    await tx
      .update(interviews)
      .set({ inviteRevokedAt: now, updatedAt: now })
      .where(eq(interviews.id, id));
    await audit(tx, {
      organizationId: principal.organizationId,
      actor: actorOf(principal),
      action: 'interview.link_revoked',
      target: { type: 'interview', id }
    });
    return toInterview(await loadJoined(tx, principal.organizationId, id));
  });
}

/** Issues a fresh link; the previous one stops working at once. */
export async function rotateInviteLink(
  db: Database,
  principal: StaffPrincipal,
  id: string,
  options: InviteOptions
): Promise<{ interview: Interview; token: string }> {
  return db.transaction(async (tx) => {
    const current = await loadJoined(tx, principal.organizationId, id);
    const status = current.interview.status;
    if (status === 'cancelled' || status === 'completed') {
      throw new AppError('conflict', `A ${status} interview cannot get a new link.`);
    }
    const invite = newInvite(options);
    await tx
      .update(interviews)
      .set({
        inviteTokenHash: invite.inviteTokenHash,
        inviteExpiresAt: invite.inviteExpiresAt,
        inviteRevokedAt: null,
        updatedAt: new Date()
      })
      .where(eq(interviews.id, id));
    await audit(tx, {
      organizationId: principal.organizationId,
      actor: actorOf(principal),
      action: 'interview.link_rotated',
      target: { type: 'interview', id }
    });
    return {
      interview: toInterview(await loadJoined(tx, principal.organizationId, id)),
      token: invite.token
    };
  });
}

export type CandidateView = {
  interview: Interview;
  organizationId: string;
  organizationName: string;
};

/**
 * Resolves a candidate's link to their interview. Unknown, revoked, expired
 * and cancelled links are refused with distinct codes so the page can say why.
 */
export async function resolveCandidateLink(db: Queryable, token: string): Promise<CandidateView> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
    throw new AppError('not_found', 'This interview link is not valid.');
  }
  const [row] = await db
    .select({ ...selection, organizationName: organizations.name })
    .from(interviews)
    .innerJoin(candidates, eq(candidates.id, interviews.candidateId))
    .innerJoin(organizations, eq(organizations.id, interviews.organizationId))
    .leftJoin(users, eq(users.id, interviews.createdBy))
    .where(eq(interviews.inviteTokenHash, hashToken(token)));
  if (!row) throw new AppError('not_found', 'This interview link is not valid.');
  if (row.interview.status === 'cancelled') {
    throw new AppError('link_revoked', 'This interview was cancelled.');
  }
  const state = linkState(row.interview);
  if (state === 'revoked') throw new AppError('link_revoked', 'This interview link was revoked.');
  if (state === 'expired') throw new AppError('link_expired', 'This interview link has expired.');
  return {
    interview: toInterview(row),
    organizationId: row.interview.organizationId,
    organizationName: row.organizationName
  };
}

export async function recordConsent(db: Database, token: string): Promise<CandidateView> {
  const view = await resolveCandidateLink(db, token);
  if (!view.interview.consentAt) {
    await db.transaction(async (tx) => {
      await tx
        .update(interviews)
        .set({ consentAt: new Date(), updatedAt: new Date() })
        .where(and(eq(interviews.id, view.interview.id), isNull(interviews.consentAt)));
      await audit(tx, {
        organizationId: view.organizationId,
        actor: { type: 'candidate', id: view.interview.candidate.id },
        action: 'interview.consent_given',
        target: { type: 'interview', id: view.interview.id }
      });
    });
  }
  return resolveCandidateLink(db, token);
}
