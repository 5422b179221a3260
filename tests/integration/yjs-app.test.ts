/**
 * The Yjs server inside the real app: tokens from the API, documents in
 * PostgreSQL. Two clients converge; a hiring manager's edits are never
 * applied; and everything acknowledged before a SIGKILL is there after a
 * restart on the same database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connectSql, createTestDatabase, type TestDatabase } from '../helpers/db';
import { startApp, type TestApp } from '../helpers/app';
import { createInterview, giveConsent } from '../helpers/interviews';
import { seed, type SeededActor } from '../helpers/seed';
import { CloseCode } from '../../realtime/index';
import { NodeWebSocket, synced, waitFor } from '../../realtime/test-harness';

let database: TestDatabase;
let app: TestApp;
let interviewer: SeededActor;
let hiringManager: SeededActor;
let interviewId: string;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startApp({ database });
  ({ interviewer, hiringManager } = await seed(database.url, async (s) => {
    const org = await s.org('Pad');
    return {
      interviewer: await s.actor({
        organizationId: org.id,
        email: 'iv@pad.test',
        role: 'interviewer'
      }),
      hiringManager: await s.actor({
        organizationId: org.id,
        email: 'hm@pad.test',
        role: 'hiring_manager'
      })
    };
  }));
  interviewId = (await createInterview(app.api(interviewer.token))).interview.id;
});

afterAll(async () => {
  for (const p of providers) p.destroy();
  await app?.stop();
  await database?.drop();
});

async function connect(token: string, doc = new Y.Doc()): Promise<WebsocketProvider> {
  const response = await app.api(token).post(`/interviews/${interviewId}/docs/code/token`);
  expect(response.status, response.text).toBe(201);
  const { token: docToken } = response.body as { token: string };
  const provider = new WebsocketProvider(
    `${app.url.replace('http', 'ws')}/yjs/${interviewId}`,
    'code',
    doc,
    { WebSocketPolyfill: NodeWebSocket, params: { token: docToken }, disableBc: true }
  );
  providers.push(provider);
  await synced(provider);
  return provider;
}

async function storedUpdates(): Promise<number> {
  const sql = connectSql(database.url);
  try {
    return await sql.count('doc_updates');
  } finally {
    await sql.end();
  }
}

/** Polls the log until it holds at least `count` updates. */
async function waitForStored(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await storedUpdates()) < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} updates were stored`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('collaborative documents in the app', () => {
  it('converges two clients and never applies a read-only edit', async () => {
    const a = await connect(interviewer.token);
    const b = await connect(interviewer.token);
    const hm = await connect(hiringManager.token);
    a.doc.getText('code').insert(0, 'def solve():\n');
    b.doc.getText('code').insert(0, '# header\n');
    await waitFor(
      () =>
        a.doc.getText('code').toString() === b.doc.getText('code').toString() &&
        a.doc.getText('code').length === 22,
      'two clients to converge'
    );
    await waitFor(() => hm.doc.getText('code').length === 22, 'the reader to receive edits');
    hm.doc.getText('code').insert(0, 'SHOULD NOT APPEAR');
    // The server handles a connection's messages in order: once the reader's next
    // awareness message reaches the others, its edit has been seen (and dropped).
    hm.awareness.setLocalStateField('marker', 'after-edit');
    await waitFor(
      () => [...b.awareness.getStates().values()].some((state) => state.marker === 'after-edit'),
      "the reader's awareness after its edit"
    );
    a.doc.getText('code').insert(a.doc.getText('code').length, 'pass\n');
    await waitFor(() => b.doc.getText('code').toString().endsWith('pass\n'), 'a later edit');
    expect(b.doc.getText('code').toString()).not.toContain('SHOULD NOT APPEAR');
    expect(a.doc.getText('code').toString()).not.toContain('SHOULD NOT APPEAR');
  });

  it('merges edits made during 10 s offline once the client reconnects', async () => {
    const online = await connect(interviewer.token);
    const away = await connect(interviewer.token);
    away.disconnect();
    await waitFor(() => !away.wsconnected, 'the client to go offline');
    away.doc.getText('offline').insert(0, 'typed while offline;');
    online.doc.getText('offline').insert(0, 'typed online;');
    // The scenario itself: ten seconds without a network, not a wait for something to happen.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect(online.doc.getText('offline').toString()).toBe('typed online;');
    away.connect();
    await waitFor(
      () =>
        online.doc.getText('offline').toString() === away.doc.getText('offline').toString() &&
        online.doc.getText('offline').length === 'typed while offline;typed online;'.length,
      'the offline edits to merge',
      10_000
    );
    const merged = online.doc.getText('offline').toString();
    expect(merged).toContain('typed while offline;');
    expect(merged).toContain('typed online;');
  });

  it('keeps every acknowledged update across a SIGKILL and a restart', async () => {
    const writer = await connect(interviewer.token);
    const before = await storedUpdates();
    for (let i = 0; i < 20; i++) writer.doc.getText('code').insert(0, `${i},`);
    // Acknowledged = in PostgreSQL: wait until the batcher has written all 20.
    await waitForStored(before + 20);
    const expected = writer.doc.getText('code').toString();

    await app.kill();
    for (const p of providers.splice(0)) p.destroy();
    app = await startApp({ database, dataDir: app.dataDir });
    const reader = await connect(interviewer.token);
    expect(reader.doc.getText('code').toString()).toBe(expected);
  });

  // Regression test: upgraded sockets kept server.close() waiting, so SIGTERM hung while a client was connected.
  it('SIGTERM with a client connected exits 0 at once and keeps its last edit', async () => {
    const writer = await connect(interviewer.token);
    const before = await storedUpdates();
    writer.doc.getText('code').insert(0, 'last words;');
    const expected = writer.doc.getText('code').toString();
    // Only an edit the server acknowledged (stored) is promised to survive.
    await waitForStored(before + 1);
    const exit = await app.stop();
    expect(exit.code).toBe(0);
    for (const p of providers.splice(0)) p.destroy();
    app = await startApp({ database });
    const reader = await connect(interviewer.token);
    expect(reader.doc.getText('code').toString()).toBe(expected);
  });

  it('lets the candidate open the code from their link, never the notes', async () => {
    const created = await createInterview(app.api(interviewer.token));
    const own = (path: string) =>
      app.fetch(`/c/${created.token}/docs/${path}/token`, { method: 'POST' });
    const early = await own('code');
    expect(early.status).toBe(403);
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe(
      'consent_required'
    );
    await giveConsent(app, created.token);
    const notes = await own('notes');
    expect(notes.status).toBe(403);
    expect(((await notes.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const code = await own('code');
    expect(code.status).toBe(201);
    const { token, path } = (await code.json()) as { token: string; path: string };
    expect(path).toBe(`/yjs/${created.interview.id}/code?token=${token}`);
    // The same token cannot be pointed at the notes: its claims name the code.
    const refused = await new Promise<number>((resolve) => {
      const ws = new NodeWebSocket(
        `${app.url.replace('http', 'ws')}/yjs/${created.interview.id}/notes?token=${token}`
      );
      ws.addEventListener('close', (event) => resolve(event.code));
    });
    expect(refused).toBe(CloseCode.Forbidden);
    const unknown = await app.fetch(`/c/${'A'.repeat(43)}/docs/code/token`, { method: 'POST' });
    expect(unknown.status).toBe(404);
  });
});
