import { SignJWT } from 'jose';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode } from './close-codes';
import {
  DEFAULT_CLAIMS,
  TEST_SECRET,
  startHarness,
  synced,
  waitFor,
  type Harness
} from './test-harness';
import { createMemoryDocStore } from './memory-store';
import { DOC_TOKEN_AUDIENCE } from './tokens';

const key = { interviewId: 'iv1', doc: 'code' };
let harness: Harness | null = null;

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness(options);
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = null;
});

/** A raw socket with a valid token, for sending what a well-behaved provider never would. */
async function rawSocket(h: Harness, role = DEFAULT_CLAIMS.role) {
  const ws = new WebSocket(`${h.base}/iv1/code?token=${await h.token({ role })}`);
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

describe('yjs server', () => {
  it('two clients converge on concurrent edits, and each update is stored with its author', async () => {
    const h = await start();
    const a = await h.provider({ participantId: 'alice' });
    const b = await h.provider({ participantId: 'bob', role: 'candidate' });
    await Promise.all([synced(a), synced(b)]);
    a.doc.getText('code').insert(0, 'hello ');
    b.doc.getText('code').insert(0, 'world');
    await waitFor(
      () =>
        a.doc.getText('code').length === 11 &&
        a.doc.getText('code').toString() === b.doc.getText('code').toString(),
      'convergence'
    );
    await h.server.flush();
    const authors = h.store.updatesOf(key).map((u) => u.author);
    expect(authors).toContain('alice');
    expect(authors).toContain('bob');
  });

  it('keeps each edit as its author sent it, in order, and no empty sync answers', async () => {
    const h = await start();
    const a = await h.provider({ participantId: 'alice' });
    const b = await h.provider({ participantId: 'bob', role: 'candidate' });
    await Promise.all([synced(a), synced(b)]);
    const sent: Uint8Array[] = [];
    a.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== a) sent.push(update);
    });
    for (const ch of 'typed') a.doc.getText('code').insert(a.doc.getText('code').length, ch);
    await waitFor(() => b.doc.getText('code').toString() === 'typed', 'edits at bob');
    await h.server.flush();

    const stored = h.store.updatesOf(key);
    expect(stored.map((u) => u.author)).toEqual(['alice', 'alice', 'alice', 'alice', 'alice']);
    expect(stored.map((u) => Buffer.from(u.update).toString('hex'))).toEqual(
      sent.map((u) => Buffer.from(u).toString('hex'))
    );
  });

  it('gives a client that joins between settles every edit made before it came', async () => {
    const h = await start();
    const a = await h.provider({ participantId: 'alice' });
    await synced(a);
    // Fewer edits than a settle batch, so none of them is applied when the next client joins.
    for (const ch of 'before you came') {
      a.doc.getText('code').insert(a.doc.getText('code').length, ch);
    }
    await waitFor(() => h.store.updatesOf(key).length === 15, 'edits received');
    const b = await h.provider({ participantId: 'bob', role: 'candidate' });
    await synced(b);
    expect(b.doc.getText('code').toString()).toBe('before you came');
    const read = new Y.Doc();
    Y.applyUpdate(read, await h.server.read(key));
    expect(read.getText('code').toString()).toBe('before you came');
  });

  it('relays and keeps an edit that arrives before the one it builds on', async () => {
    const h = await start();
    const b = await h.provider({ participantId: 'bob', role: 'candidate' });
    await synced(b);
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => updates.push(update));
    source.getText('code').insert(0, 'first ');
    source.getText('code').insert(6, 'second');
    const raw = await rawSocket(h);
    const message = (update: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint(encoder, 2);
      encoding.writeVarUint8Array(encoder, update);
      return encoding.toUint8Array(encoder);
    };
    raw.ws.send(message(updates[1]!));
    raw.ws.send(message(updates[0]!));
    await waitFor(() => b.doc.getText('code').toString() === 'first second', 'both at bob');

    const read = new Y.Doc();
    Y.applyUpdate(read, await h.server.read(key));
    expect(read.getText('code').toString()).toBe('first second');
    await h.server.flush();
    const replayed = new Y.Doc();
    for (const { update } of h.store.updatesOf(key)) Y.applyUpdate(replayed, update);
    expect(replayed.getText('code').toString()).toBe('first second');
    raw.ws.close();
  });

  it('never opens the staff-only notes to a candidate token, even a validly signed one', async () => {
    const h = await start();
    const candidateNotes = await h.token({ doc: 'notes', role: 'candidate' });
    const interviewerNotes = await h.provider({ doc: 'notes', role: 'interviewer' });
    await synced(interviewerNotes);
    expect(await h.closeCodeOf(`/iv1/notes?token=${candidateNotes}`)).toBe(CloseCode.Forbidden);
  });

  it('refuses forged, expired, other-interview, missing and unknown-doc tokens with close codes', async () => {
    const h = await start();
    const forged = await new SignJWT({ ...DEFAULT_CLAIMS })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(DOC_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode('not-the-server-secret-but-long-enough-0123'));
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...DEFAULT_CLAIMS })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(DOC_TOKEN_AUDIENCE)
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 1)
      .sign(new TextEncoder().encode(TEST_SECRET));
    const otherInterview = await h.token({ interviewId: 'iv2' });
    const otherDoc = await h.token({ doc: 'notes' });

    const codes = await Promise.all([
      h.closeCodeOf(`/iv1/code?token=${forged}`),
      h.closeCodeOf(`/iv1/code?token=${expired}`),
      h.closeCodeOf(`/iv1/code?token=${otherInterview}`),
      h.closeCodeOf(`/iv1/code?token=${otherDoc}`),
      h.closeCodeOf(`/iv1/code`),
      h.closeCodeOf(`/iv1/Bad.Doc?token=${await h.token({ doc: 'Bad.Doc' })}`),
      h.closeCodeOf(`/iv1?token=x`)
    ]);
    expect(codes).toEqual([
      CloseCode.Unauthorized,
      CloseCode.Unauthorized,
      CloseCode.Forbidden,
      CloseCode.Forbidden,
      CloseCode.Unauthorized,
      CloseCode.UnknownDocument,
      CloseCode.Malformed
    ]);
    expect(h.store.updatesOf(key)).toHaveLength(0);
  });

  it('never applies a read-only client’s edits, but sends it updates and awareness', async () => {
    const h = await start();
    const writer = await h.provider({ participantId: 'alice' });
    const viewer = await h.provider({ participantId: 'hm', role: 'hiring_manager' });
    await Promise.all([synced(writer), synced(viewer)]);

    viewer.doc.getText('code').insert(0, 'INTRUSION');
    // Sent after the edit on the same socket, so once it arrives the edit was handled too.
    viewer.awareness.setLocalStateField('marker', 1);
    await waitFor(
      () => writer.awareness.getStates().get(viewer.doc.clientID)?.marker === 1,
      'viewer awareness at the writer'
    );
    writer.doc.getText('code').insert(0, 'ok');
    await waitFor(() => viewer.doc.getText('code').toString().includes('ok'), 'update at viewer');
    await h.server.flush();

    expect(writer.doc.getText('code').toString()).toBe('ok');
    expect(h.store.updatesOf(key).map((u) => u.author)).not.toContain('hm');
    const stored = new Y.Doc();
    for (const { update } of h.store.updatesOf(key)) Y.applyUpdate(stored, update);
    expect(stored.getText('code').toString()).toBe('ok');
  });

  it('closes an oversized message with 4413 while the document and other clients keep working', async () => {
    const h = await start({ maxMessageBytes: 4096 });
    const a = await h.provider({ participantId: 'alice' });
    const b = await h.provider({ participantId: 'bob', role: 'candidate' });
    await Promise.all([synced(a), synced(b)]);
    const raw = await rawSocket(h);
    raw.ws.send(new Uint8Array(5000));
    expect(await raw.closed).toBe(CloseCode.MessageTooBig);

    a.doc.getText('code').insert(0, 'still here');
    await waitFor(() => b.doc.getText('code').toString() === 'still here', 'edit after 4413');
    expect(h.server.stats().documents).toBe(1);
  });

  it('closes malformed messages with 4400 and the document survives', async () => {
    const h = await start();
    const a = await h.provider({ participantId: 'alice' });
    const b = await h.provider({ participantId: 'bob', role: 'candidate' });
    await Promise.all([synced(a), synced(b)]);

    const garbageUpdate = encoding.createEncoder();
    encoding.writeVarUint(garbageUpdate, 0); // sync
    encoding.writeVarUint(garbageUpdate, 2); // update
    encoding.writeVarUint8Array(garbageUpdate, new Uint8Array([1, 200, 200, 200, 7, 7, 7]));
    const messages = [
      new Uint8Array([9]), // unknown message type
      new Uint8Array([0, 7]), // unknown sync type
      new Uint8Array([0, 2, 50, 1]), // update shorter than its length
      encoding.toUint8Array(garbageUpdate)
    ];
    for (const message of messages) {
      const raw = await rawSocket(h);
      raw.ws.send(message);
      expect(await raw.closed).toBe(CloseCode.Malformed);
    }

    a.doc.getText('code').insert(0, 'fine');
    await waitFor(() => b.doc.getText('code').toString() === 'fine', 'edit after 4400');
  });

  it('loads the document from the store before answering sync', async () => {
    const h = await start({ snapshotEvery: 2 });
    const earlier = new Y.Doc();
    earlier.getText('code').insert(0, 'from a snapshot');
    const first = Y.encodeStateAsUpdate(earlier);
    await h.store.append([
      { key, updates: [{ update: first, author: 'x', at: new Date() }], keyframe: first }
    ]);
    const before = Y.encodeStateVector(earlier);
    earlier.getText('code').insert(0, 'and an update, ');
    await h.store.append([
      {
        key,
        updates: [{ update: Y.encodeStateAsUpdate(earlier, before), author: 'x', at: new Date() }]
      }
    ]);

    const client = await h.provider({});
    let atFirstSync: string | null = null;
    client.on('sync', (isSynced: boolean) => {
      atFirstSync ??= isSynced ? client.doc.getText('code').toString() : null;
    });
    await synced(client);
    expect(atFirstSync).toBe('and an update, from a snapshot');
  });

  // Regression for y-websocket's old bin/utils: getYDoc answered before persistence had loaded.
  it('makes sockets that arrive during a slow load wait for that one load', async () => {
    const memory = createMemoryDocStore();
    const earlier = new Y.Doc();
    earlier.getText('code').insert(0, 'stored text');
    await memory.append([
      { key, updates: [{ update: Y.encodeStateAsUpdate(earlier), author: 'x', at: new Date() }] }
    ]);
    let loads = 0;
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = await start({
      store: {
        ...memory,
        async load(k) {
          loads += 1;
          await gate;
          return memory.load(k);
        }
      }
    });
    const texts: string[] = [];
    const clients = await Promise.all([h.provider({}), h.provider({ role: 'candidate' })]);
    for (const client of clients) {
      client.on('sync', (isSynced: boolean) => {
        if (isSynced) texts.push(client.doc.getText('code').toString());
      });
    }
    await waitFor(() => h.server.stats().connections === 2, 'both sockets open');
    expect(clients.some((c) => c.synced)).toBe(false);
    release();
    await Promise.all(clients.map(synced));
    expect(texts).toEqual(['stored text', 'stored text']);
    expect(loads).toBe(1);
  });

  it('closes with 4500 when the store cannot load, and retries the load for the next socket', async () => {
    const memory = createMemoryDocStore();
    let failNext = true;
    const h = await start({
      store: {
        ...memory,
        async load(k) {
          if (failNext) {
            failNext = false;
            throw new Error('database down');
          }
          return memory.load(k);
        }
      }
    });
    const token = await h.token({});
    expect(await h.closeCodeOf(`/iv1/code?token=${token}`)).toBe(CloseCode.InternalError);
    const client = await h.provider({});
    await synced(client);
    expect(h.server.stats().documents).toBe(1);
  });

  it('removes a disconnected client’s awareness for the others', async () => {
    const h = await start();
    const a = await h.provider({ participantId: 'alice' });
    await synced(a);
    // A raw client that vanishes without saying goodbye, as a crashed browser would.
    const ghostDoc = new Y.Doc();
    const ghost = new awarenessProtocol.Awareness(ghostDoc);
    ghost.setLocalState({ user: 'ghost' });
    const raw = await rawSocket(h, 'candidate');
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, 1);
    encoding.writeVarUint8Array(
      message,
      awarenessProtocol.encodeAwarenessUpdate(ghost, [ghostDoc.clientID])
    );
    raw.ws.send(encoding.toUint8Array(message));
    await waitFor(() => a.awareness.getStates().has(ghostDoc.clientID), 'ghost awareness');

    raw.ws.terminate();
    await waitFor(() => !a.awareness.getStates().has(ghostDoc.clientID), 'ghost removed');
    expect(a.awareness.getStates().has(a.doc.clientID)).toBe(true);
    ghost.destroy();
  });

  it('seeds an empty document once, server-side, even with two clients at the same moment', async () => {
    let seedCalls = 0;
    const h = await start({
      seed: async () => {
        seedCalls += 1;
        return (doc) => doc.getText('code').insert(0, 'def solve():\n');
      }
    });
    const [a, b] = await Promise.all([
      h.provider({ participantId: 'alice' }),
      h.provider({ participantId: 'bob', role: 'candidate' })
    ]);
    await Promise.all([synced(a), synced(b)]);
    await waitFor(
      () => a.doc.getText('code').toString() === b.doc.getText('code').toString(),
      'same text'
    );
    expect(a.doc.getText('code').toString()).toBe('def solve():\n');
    expect(seedCalls).toBe(1);
    expect(h.store.updatesOf(key).map((u) => u.author)).toEqual(['system']);
  });

  it('close() flushes pending updates to the store', async () => {
    const h = await start({ batchMs: 60_000 });
    const a = await h.provider({ participantId: 'alice' });
    await synced(a);
    a.doc.getText('code').insert(0, 'unsaved');
    await waitFor(() => h.server.stats().pendingUpdates === 1, 'update received');
    expect(h.store.updatesOf(key)).toHaveLength(0);

    await h.server.close();
    const stored = new Y.Doc();
    for (const { update } of h.store.updatesOf(key)) Y.applyUpdate(stored, update);
    expect(stored.getText('code').toString()).toBe('unsaved');
    expect(h.store.updatesOf(key).map((u) => u.author)).toEqual(['alice']);
  });

  it('writes a keyframe every snapshotEvery updates', async () => {
    const h = await start({ snapshotEvery: 3 });
    const a = await h.provider({});
    await synced(a);
    for (const [i, ch] of [...'abcd'].entries()) {
      a.doc.getText('code').insert(a.doc.getText('code').length, ch);
      await waitFor(() => h.store.updatesOf(key).length === i + 1, 'batch written');
    }
    await h.server.flush();
    const snapshot = h.store.snapshotOf(key);
    expect(snapshot).not.toBeNull();
    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, snapshot?.state ?? new Uint8Array());
    expect(fromSnapshot.getText('code').toString()).toBe('abc');
  });

  it('flushes and unloads an idle document, then reloads it', async () => {
    const h = await start({ idleUnloadMs: 20 });
    const a = await h.provider({});
    await synced(a);
    a.doc.getText('code').insert(0, 'persisted');
    await waitFor(() => h.store.updatesOf(key).length === 1, 'update stored');
    a.destroy();
    await waitFor(() => h.server.stats().documents === 0, 'unload');
    expect(h.store.updatesOf(key)).toHaveLength(1);

    const b = await h.provider({});
    await synced(b);
    expect(b.doc.getText('code').toString()).toBe('persisted');
  });

  it('closes a socket that stops answering pings', async () => {
    const h = await start({ pingIntervalMs: 20 });
    const ws = new WebSocket(`${h.base}/iv1/code?token=${await h.token({})}`, { autoPong: false });
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(1006);
    await waitFor(() => h.server.stats().connections === 0, 'connection dropped');
  });
});
