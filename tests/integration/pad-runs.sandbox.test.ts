/**
 * Runs in the pad through the real app: the server runs what the shared
 * document holds, in the real sandbox, and streams the output to everyone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type PadRun, type RunOutput } from '../../realtime/events/index';
import {
  ask,
  joinSession,
  type JoinedSession,
  type SessionClient
} from '../../realtime/events/test-client';
import { NodeWebSocket, synced, waitFor } from '../../realtime/test-harness';
import { filesOf } from '../../src/lib/pad/code-doc';
import { startApp, type TestApp } from '../helpers/app';
import { connectSql, createTestDatabase, type TestDatabase } from '../helpers/db';
import { createInterview, giveConsent, type CreatedInterview } from '../helpers/interviews';
import { seed, type SeededActor } from '../helpers/seed';

let database: TestDatabase;
let app: TestApp;
let interviewer: SeededActor;
let created: CreatedInterview;
const sockets: SessionClient[] = [];
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startApp({ database });
  ({ interviewer } = await seed(database.url, async (s) => {
    const org = await s.org('Runs');
    return {
      interviewer: await s.actor({
        organizationId: org.id,
        email: 'iv@runs.test',
        role: 'interviewer'
      })
    };
  }));
  created = await createInterview(app.api(interviewer.token));
  await giveConsent(app, created.token);
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const p of providers.splice(0)) p.destroy();
});

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

const join = (token: string): Promise<JoinedSession> => joinSession(app.url, token, sockets);

async function tokenFrom(response: Promise<Response>): Promise<string> {
  const answer = await response;
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { token: string }).token;
}

async function staffSessionToken(): Promise<string> {
  const response = await app
    .api(interviewer.token)
    .post(`/interviews/${created.interview.id}/session/token`);
  expect(response.status).toBe(201);
  return (response.body as { token: string }).token;
}

async function openPad(token: string): Promise<WebsocketProvider> {
  const pad = new WebsocketProvider(
    `${app.url.replace('http', 'ws')}/yjs/${created.interview.id}`,
    'code',
    new Y.Doc(),
    { WebSocketPolyfill: NodeWebSocket, params: { token }, disableBc: true }
  );
  providers.push(pad);
  await synced(pad);
  return pad;
}

async function openStaffPad(): Promise<WebsocketProvider> {
  const response = await app
    .api(interviewer.token)
    .post(`/interviews/${created.interview.id}/docs/code/token`);
  expect(response.status).toBe(201);
  return openPad((response.body as { token: string }).token);
}

const outputOf = (joined: JoinedSession, runId: string) =>
  joined.seen
    .filter((s) => s.event === 'run:output')
    .map((s) => s.args[0] as RunOutput)
    .filter((chunk) => chunk.runId === runId)
    .map((chunk) => chunk.data)
    .join('');

const finished = (joined: JoinedSession, runId: string) =>
  joined.seen
    .filter((s) => s.event === 'run:finished')
    .map((s) => s.args[0] as PadRun)
    .find((run) => run.id === runId);

describe('runs in the pad', () => {
  it('runs the shared code as the candidate wrote it and streams the output to the interviewer', async () => {
    const docToken = await tokenFrom(
      app.fetch(`/c/${created.token}/docs/code/token`, { method: 'POST' })
    );
    const pad = await openPad(docToken);
    const main = filesOf(pad.doc).get('main.py');
    if (!main) throw new Error('the pad was not seeded');
    main.delete(0, main.length);
    main.insert(
      0,
      'import sys\nfor line in sys.stdin:\n    print("got", line.strip(), flush=True)\n'
    );
    const staff = await join(await staffSessionToken());
    const candidate = await join(
      await tokenFrom(app.fetch(`/c/${created.token}/session/token`, { method: 'POST' }))
    );
    // The run reads the server's copy: wait until another client has the edit from the server.
    const staffPad = await openStaffPad();
    await waitFor(
      () => filesOf(staffPad.doc).get('main.py')?.toString().includes('sys.stdin') === true,
      'the candidate’s edit to reach the server'
    );
    const ack = await ask(candidate.socket, 'run:start', { stdin: 'alpha\nbeta\n' });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    const run = (ack as { ok: true; data: PadRun }).data;
    expect(run).toMatchObject({ status: 'running', byName: created.interview.candidate.name });
    await waitFor(() => finished(staff, run.id) !== undefined, 'the run to finish', 30_000);
    expect(outputOf(staff, run.id)).toBe('got alpha\ngot beta\n');
    expect(finished(staff, run.id)).toMatchObject({ status: 'ok', exitCode: 0 });

    const sql = connectSql(database.url);
    try {
      const [row] = await sql.query(
        'SELECT participant_name, user_id, status, stdout FROM runs WHERE id = $1',
        [run.id]
      );
      expect(row).toMatchObject({
        participant_name: created.interview.candidate.name,
        user_id: null,
        status: 'ok',
        stdout: 'got alpha\ngot beta\n'
      });
    } finally {
      await sql.end();
    }
    // A participant who joins later sees the run in the history.
    const later = await join(
      await tokenFrom(app.fetch(`/c/${created.token}/session/token`, { method: 'POST' }))
    );
    expect(later.state.runs.map((r) => r.id)).toContain(run.id);
  });

  it('refuses the candidate’s runs while the interviewer has turned running off', async () => {
    const staff = await join(await staffSessionToken());
    const candidate = await join(
      await tokenFrom(app.fetch(`/c/${created.token}/session/token`, { method: 'POST' }))
    );
    expect(await ask(staff.socket, 'settings:update', { candidateCanRun: false })).toMatchObject({
      ok: true
    });
    expect(await ask(candidate.socket, 'run:start', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' }
    });
    expect(await ask(staff.socket, 'settings:update', { candidateCanRun: true })).toMatchObject({
      ok: true
    });
    const again = await ask(candidate.socket, 'run:start', { stdin: 'x\n' });
    expect(again.ok).toBe(true);
  });
});
