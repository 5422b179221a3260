/**
 * The live session through the real app: socket.io at /session with tokens
 * from the API and the candidate link, PostgreSQL behind it, and the Yjs
 * pad's behaviour when the interviewer ends the session.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {} from '../../realtime/events/index';
import { CloseCode } from '../../realtime/index';
import {
  ask,
  joinSession,
  type JoinedSession,
  type SessionClient
} from '../../realtime/events/test-client';
import { NodeWebSocket, synced, waitFor } from '../../realtime/test-harness';
import { readCode } from '../../src/lib/pad/code-doc';
import { padLanguages } from '../../src/lib/pad/languages';
import { startApp, type TestApp } from '../helpers/app';
import { connectSql, createTestDatabase, type TestDatabase } from '../helpers/db';
import { createInterview, giveConsent, type CreatedInterview } from '../helpers/interviews';
import { seed, type SeededActor } from '../helpers/seed';

let database: TestDatabase;
let app: TestApp;
let interviewer: SeededActor;
let hiringManager: SeededActor;
let outsider: SeededActor;
const sockets: SessionClient[] = [];
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startApp({ database });
  ({ interviewer, hiringManager, outsider } = await seed(database.url, async (s) => {
    const org = await s.org('Live');
    const other = await s.org('Elsewhere');
    return {
      interviewer: await s.actor({
        organizationId: org.id,
        email: 'iv@live.test',
        role: 'interviewer'
      }),
      hiringManager: await s.actor({
        organizationId: org.id,
        email: 'hm@live.test',
        role: 'hiring_manager'
      }),
      outsider: await s.actor({ organizationId: other.id, email: 'x@else.test', role: 'admin' })
    };
  }));
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const p of providers.splice(0)) p.destroy();
});

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

async function staffToken(actor: SeededActor, interviewId: string): Promise<string> {
  const response = await app.api(actor.token).post(`/interviews/${interviewId}/session/token`);
  expect(response.status, response.text).toBe(201);
  return (response.body as { token: string }).token;
}

async function candidateToken(created: CreatedInterview): Promise<string> {
  const response = await app.fetch(`/c/${created.token}/session/token`, { method: 'POST' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

const join = (token: string): Promise<JoinedSession> => joinSession(app.url, token, sockets);

async function openCandidatePad(created: CreatedInterview): Promise<WebsocketProvider> {
  const response = await app.fetch(`/c/${created.token}/docs/code/token`, { method: 'POST' });
  expect(response.status).toBe(201);
  const { token } = (await response.json()) as { token: string };
  return openWith(token, created.interview.id);
}

async function openWith(
  token: string,
  interviewId: string,
  doc = new Y.Doc()
): Promise<WebsocketProvider> {
  const provider = new WebsocketProvider(
    `${app.url.replace('http', 'ws')}/yjs/${interviewId}`,
    'code',
    doc,
    { WebSocketPolyfill: NodeWebSocket, params: { token }, disableBc: true }
  );
  providers.push(provider);
  await synced(provider);
  return provider;
}

let current: CreatedInterview;

async function rows(query: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const sql = connectSql(database.url);
  try {
    return await sql.query(query, params);
  } finally {
    await sql.end();
  }
}

describe('live sessions in the app', () => {
  it('admits staff of the organization and the consenting candidate only', async () => {
    current = await createInterview(app.api(interviewer.token));
    const early = await app.fetch(`/c/${current.token}/session/token`, { method: 'POST' });
    expect(early.status).toBe(403);
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe(
      'consent_required'
    );
    const foreign = await app
      .api(outsider.token)
      .post(`/interviews/${current.interview.id}/session/token`);
    expect(foreign.status).toBe(404);
    await giveConsent(app, current.token);
    const cand = await join(await candidateToken(current));
    expect(cand.state.you.role).toBe('candidate');
    expect(cand.state.library).toEqual([]);
    const staff = await join(await staffToken(interviewer, current.interview.id));
    expect(staff.state.library.length).toBeGreaterThanOrEqual(6);
    await expect(join('forged.token.value')).rejects.toMatchObject({
      data: { code: 'unauthorized' }
    });
    // The candidate's arrival starts the interview.
    const [interview] = await rows('SELECT status FROM interviews WHERE id = $1', [
      current.interview.id
    ]);
    expect(interview?.status).toBe('in_progress');
  });

  it('persists chat, reveals questions to the candidate and keeps integrity signals for staff', async () => {
    current = await createInterview(app.api(interviewer.token));
    await giveConsent(app, current.token);
    const staff = await join(await staffToken(interviewer, current.interview.id));
    const cand = await join(await candidateToken(current));
    const manager = await join(await staffToken(hiringManager, current.interview.id));

    expect(
      await ask(cand.socket, 'chat:send', { text: 'Can I use the standard library?' })
    ).toMatchObject({
      ok: true
    });
    await waitFor(() => staff.seen.some((s) => s.event === 'chat:message'), 'chat to arrive');
    const reveal = await ask(staff.socket, 'question:reveal', { questionId: 'rate-limiter' });
    expect(reveal).toMatchObject({ ok: true, data: { title: 'Token-bucket rate limiter' } });
    await waitFor(
      () => cand.seen.some((s) => s.event === 'question:revealed'),
      'the question to reach the candidate'
    );

    await ask(cand.socket, 'integrity:report', { kind: 'paste', chars: 812, external: true });
    await ask(cand.socket, 'integrity:report', { kind: 'focus_regained', awayMs: 42_000 });
    await waitFor(
      () => staff.seen.filter((s) => s.event === 'integrity').length === 2,
      'integrity markers for staff'
    );
    await waitFor(
      () => manager.seen.filter((s) => s.event === 'integrity').length === 2,
      'integrity markers for the hiring manager'
    );
    await ask(cand.socket, 'chat:send', { text: 'done' });
    await waitFor(
      () => cand.seen.filter((s) => s.event === 'chat:message').length === 2,
      'the candidate’s own round trip'
    );
    expect(cand.seen.some((s) => s.event === 'integrity')).toBe(false);

    const stored = await rows(
      'SELECT kind, staff_only, data FROM events WHERE interview_id = $1 ORDER BY id',
      [current.interview.id]
    );
    expect(stored.filter((e) => e.staff_only).map((e) => e.kind)).toEqual([
      'paste',
      'focus_regained'
    ]);
    const chat = await rows(
      'SELECT speaker, author_name, text FROM messages WHERE interview_id = $1 ORDER BY created_at',
      [current.interview.id]
    );
    expect(chat.map((m) => m.text)).toEqual(['Can I use the standard library?', 'done']);
    expect(chat[0]).toMatchObject({
      speaker: 'candidate',
      author_name: current.interview.candidate.name
    });

    // A reload sees the same session: chat, the revealed question; the candidate still no markers.
    const again = await join(await candidateToken(current));
    expect(again.state.chat.map((m) => m.text)).toEqual([
      'Can I use the standard library?',
      'done'
    ]);
    expect(again.state.revealed.map((q) => q.id)).toEqual(['rate-limiter']);
    expect(again.state.integrity).toEqual([]);
  });

  it('serves the pad with server-seeded starter code and ends the session read-only for the candidate', async () => {
    current = await createInterview(app.api(interviewer.token));
    await giveConsent(app, current.token);
    const candidatePad = await openCandidatePad(current);
    expect(readCode(candidatePad.doc)).toEqual({
      language: 'python',
      entry: 'main.py',
      files: { 'main.py': padLanguages.python.starter }
    });
    const staff = await join(await staffToken(interviewer, current.interview.id));
    const closed = new Promise<number>((resolve) =>
      candidatePad.on('connection-close', (event) => {
        if (event) resolve(event.code);
      })
    );
    expect(await ask(staff.socket, 'session:end', {})).toMatchObject({ ok: true });
    expect(await closed).toBe(CloseCode.Forbidden);

    const tokenResponse = await app.fetch(`/c/${current.token}/docs/code/token`, {
      method: 'POST'
    });
    const reopened = (await tokenResponse.json()) as { token: string; readOnly: boolean };
    expect(reopened.readOnly).toBe(true);
    const late = await openWith(reopened.token, current.interview.id);
    late.doc.getMap<Y.Text>('files').get('main.py')?.insert(0, 'AFTER THE END\n');
    const staffPad = await openWithStaff(current.interview.id);
    // The candidate's awareness after the edit proves the server has handled (dropped) it.
    late.awareness.setLocalStateField('marker', 'after');
    await waitFor(
      () => [...staffPad.awareness.getStates().values()].some((s) => s.marker === 'after'),
      'the candidate’s later message'
    );
    expect(readCode(staffPad.doc).files['main.py']).not.toContain('AFTER THE END');
    const [interview] = await rows('SELECT status FROM interviews WHERE id = $1', [
      current.interview.id
    ]);
    expect(interview?.status).toBe('completed');
  });
});

async function openWithStaff(interviewId: string): Promise<WebsocketProvider> {
  const response = await app
    .api(interviewer.token)
    .post(`/interviews/${interviewId}/docs/code/token`);
  expect(response.status).toBe(201);
  return openWith((response.body as { token: string }).token, interviewId);
}
