import {
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid
} from 'drizzle-orm/pg-core';
import type { EngineState, Evaluation, InterviewPlan } from '../../../../interviewer/types';
import { roles } from '../../contracts/common';
import { interviewKinds, interviewStatuses } from '../../contracts/interviews';
import { runStatuses } from '../../contracts/runs';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const userRole = pgEnum('user_role', roles);
export const interviewKind = pgEnum('interview_kind', interviewKinds);
export const interviewStatus = pgEnum('interview_status', interviewStatuses);

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: createdAt()
});

/** Staff accounts. The first six columns are the ones better-auth expects. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: userRole('role').notNull(),
    active: boolean('active').notNull().default(true),
    /** Set for generated passwords (first start, CLI): the user must choose their own. */
    mustChangePassword: boolean('must_change_password').notNull().default(false)
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    index('users_organization_idx').on(t.organizationId)
  ]
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    token: text('token').notNull().unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' })
  },
  (t) => [index('sessions_user_idx').on(t.userId)]
);

/** better-auth's credential store: the password hash lives here, never in users. */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    scope: text('scope'),
    password: text('password'),
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (t) => [index('accounts_user_idx').on(t.userId)]
);

export const verifications = pgTable('verifications', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt()
});

/** An admin's invitation for a colleague; the link carries a token stored only as a hash. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: userRole('role').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt()
  },
  (t) => [index('invitations_organization_idx').on(t.organizationId)]
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** SHA-256 of the token; the token itself is shown once. */
    tokenHash: text('token_hash').notNull().unique(),
    /** First characters of the token, to recognise it in a list. */
    prefix: text('prefix').notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt()
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)]
);

export const candidates = pgTable(
  'candidates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    createdAt: createdAt()
  },
  (t) => [
    // Emails are stored lower-cased (contracts/common.ts), so a plain unique index suffices.
    uniqueIndex('candidates_org_email_key').on(t.organizationId, t.email),
    index('candidates_name_idx').on(t.organizationId, t.name)
  ]
);

export const interviews = pgTable(
  'interviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    candidateId: uuid('candidate_id')
      .notNull()
      .references(() => candidates.id, { onDelete: 'restrict' }),
    kind: interviewKind('kind').notNull(),
    status: interviewStatus('status').notNull().default('scheduled'),
    title: text('title').notNull(),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    inviteTokenHash: text('invite_token_hash').unique(),
    inviteExpiresAt: timestamp('invite_expires_at', { withTimezone: true }),
    inviteRevokedAt: timestamp('invite_revoked_at', { withTimezone: true }),
    consentAt: timestamp('consent_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (t) => [
    index('interviews_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    index('interviews_candidate_idx').on(t.candidateId)
  ]
);

export const runStatus = pgEnum('run_status', runStatuses);

/** A program run in the sandbox, with what it printed (capped by the sandbox). */
export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    interviewId: uuid('interview_id').references(() => interviews.id, { onDelete: 'cascade' }),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Who ran it in a live session: a user id or `candidate:<id>`, and their name then. */
    participantId: text('participant_id'),
    participantName: text('participant_name'),
    language: text('language').notNull(),
    entry: text('entry'),
    files: jsonb('files').$type<Record<string, string>>().notNull(),
    stdin: text('stdin'),
    priority: text('priority').notNull().default('interactive'),
    status: runStatus('status').notNull().default('queued'),
    exitCode: integer('exit_code'),
    signal: text('signal'),
    wallMs: integer('wall_ms'),
    cpuMs: integer('cpu_ms'),
    memoryKb: integer('memory_kb'),
    stdout: text('stdout'),
    stderr: text('stderr'),
    stdoutTruncated: boolean('stdout_truncated').notNull().default(false),
    stderrTruncated: boolean('stderr_truncated').notNull().default(false),
    compileOutput: text('compile_output'),
    cancelled: boolean('cancelled').notNull().default(false),
    /** Per-case outcomes; hidden cases are redacted before they reach a candidate. */
    tests: jsonb('tests').$type<unknown[]>(),
    limits: jsonb('limits').$type<Record<string, number>>(),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true })
  },
  (t) => [
    index('runs_org_created_idx').on(t.organizationId, t.createdAt),
    index('runs_interview_idx').on(t.interviewId, t.createdAt)
  ]
);

/** Yjs updates as bytes: node-postgres hands back a Buffer, which is a Uint8Array. */
const bytes = customType<{ data: Uint8Array; driverData: Buffer }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
});

/** Every accepted edit of a collaborative document, in order: the playback log. */
export const docUpdates = pgTable(
  'doc_updates',
  {
    interviewId: uuid('interview_id')
      .notNull()
      .references(() => interviews.id, { onDelete: 'cascade' }),
    doc: text('doc').notNull(),
    seq: integer('seq').notNull(),
    author: text('author').notNull(),
    update: bytes('update').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull()
  },
  // The natural key is the only key: a surrogate id cost a sequence and a second index per
  // keystroke written.
  (t) => [primaryKey({ columns: [t.interviewId, t.doc, t.seq] })]
);

/** Keyframes: a document's whole state at a seq, so loading and seeking skip the log's head. */
export const docSnapshots = pgTable(
  'doc_snapshots',
  {
    interviewId: uuid('interview_id')
      .notNull()
      .references(() => interviews.id, { onDelete: 'cascade' }),
    doc: text('doc').notNull(),
    seq: integer('seq').notNull(),
    state: bytes('state').notNull(),
    createdAt: createdAt()
  },
  (t) => [primaryKey({ columns: [t.interviewId, t.doc, t.seq] })]
);

/** What was said: live-session chat now, the AI interviewer's transcript too. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    interviewId: uuid('interview_id')
      .notNull()
      .references(() => interviews.id, { onDelete: 'cascade' }),
    /** The speaker's role: interviewer, candidate, hiring_manager, observer, ai or system. */
    speaker: text('speaker').notNull(),
    authorId: text('author_id').notNull(),
    authorName: text('author_name').notNull(),
    /** chat (live session) or transcript (AI interview). */
    channel: text('channel').notNull().default('chat'),
    text: text('text').notNull(),
    meta: jsonb('meta').$type<Record<string, unknown>>(),
    createdAt: createdAt()
  },
  (t) => [index('messages_interview_created_idx').on(t.interviewId, t.createdAt)]
);

/** The session timeline: joins, questions shown, timer, settings, the end, integrity signals. */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    interviewId: uuid('interview_id')
      .notNull()
      .references(() => interviews.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    participantId: text('participant_id').notNull(),
    participantName: text('participant_name').notNull(),
    role: text('role').notNull(),
    /** Integrity signals and other private data are never sent to a candidate. */
    staffOnly: boolean('staff_only').notNull().default(false),
    data: jsonb('data').$type<Record<string, number | boolean | string>>().notNull(),
    createdAt: createdAt()
  },
  (t) => [index('events_interview_id_idx').on(t.interviewId, t.id)]
);

/** An asynchronous interview with the AI interviewer: its plan, frozen at the start, and the engine's state. */
export const aiInterviews = pgTable('ai_interviews', {
  interviewId: uuid('interview_id')
    .primaryKey()
    .references(() => interviews.id, { onDelete: 'cascade' }),
  templateId: text('template_id').notNull(),
  /** The resolved plan as it was when the interview started: later content edits do not change it. */
  plan: jsonb('plan').$type<InterviewPlan>().notNull(),
  /** The engine's JSON state after the last turn: a refresh resumes from here. */
  state: jsonb('state').$type<EngineState>().notNull(),
  turns: integer('turns').notNull().default(0),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  deadlineAt: timestamp('deadline_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  updatedAt: updatedAt()
});

/** Scorecards: the AI's evaluation of a finished interview, and human ones later. */
export const evaluations = pgTable(
  'evaluations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    interviewId: uuid('interview_id')
      .notNull()
      .references(() => interviews.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    /** offline or openai for the AI; the user's id for a human. */
    author: text('author').notNull(),
    data: jsonb('data').$type<Evaluation>().notNull(),
    createdAt: createdAt()
  },
  (t) => [index('evaluations_interview_idx').on(t.interviewId, t.createdAt)]
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: uuid('organization_id').references(() => organizations.id, {
      onDelete: 'cascade'
    }),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: createdAt()
  },
  (t) => [index('audit_log_org_created_idx').on(t.organizationId, t.createdAt)]
);

export const schema = {
  aiInterviews,
  evaluations,
  messages,
  events,
  organizations,
  users,
  sessions,
  accounts,
  verifications,
  invitations,
  apiTokens,
  candidates,
  interviews,
  runs,
  docUpdates,
  docSnapshots,
  auditLog
};
