import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { NodeWebSocket, startHarness, waitFor, type Harness } from '../../../realtime/test-harness';
import { connectDoc, providerTarget, type DocConnection, type DocToken } from './doc-connection';

/** A network the test can cut: while down, sockets go to a closed port and fail. */
function flakyNetwork() {
  const sockets: WebSocket[] = [];
  const net = {
    up: true,
    sockets,
    cut() {
      net.up = false;
      for (const socket of sockets) socket.terminate();
    },
    restore() {
      net.up = true;
    }
  };
  class FlakyWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(net.up ? url : 'ws://127.0.0.1:9/', protocols);
      sockets.push(this);
      // Refused connections report an error event; y-websocket handles close.
      this.on('error', () => undefined);
    }
  }
  return { net, WebSocketPolyfill: FlakyWebSocket as unknown as typeof globalThis.WebSocket };
}

let harness: Harness;
const open: DocConnection[] = [];

beforeEach(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  for (const connection of open.splice(0)) connection.destroy();
  await harness.close();
});

async function tokenFor(readOnly = false): Promise<DocToken> {
  const token = await harness.token({});
  return { token, path: `/yjs/iv1/code?token=${token}`, expiresInSeconds: 300, readOnly };
}

function origin(): string {
  return harness.base.replace(/^ws/, 'http').replace(/\/yjs$/, '');
}

describe('doc connection', () => {
  it('derives the websocket target from the token path', () => {
    expect(providerTarget('https://tandem.example', '/yjs/abc/code?token=x')).toEqual({
      serverUrl: 'wss://tandem.example/yjs/abc',
      room: 'code'
    });
    expect(providerTarget('http://localhost:3000', '/yjs/abc/notes?token=x').serverUrl).toBe(
      'ws://localhost:3000/yjs/abc'
    );
  });

  it('connects, counts changes made offline, and merges them on reconnect', async () => {
    const { net, WebSocketPolyfill } = flakyNetwork();
    const doc = new Y.Doc();
    const connection = await connectDoc({
      doc,
      fetchToken: () => tokenFor(),
      origin: origin(),
      user: { name: 'Ines', color: '#2563eb' },
      offlineAfterMs: 50,
      events: null,
      WebSocketPolyfill
    });
    open.push(connection);
    const statuses: string[] = [];
    connection.subscribe((s) => statuses.push(s.status));
    expect(connection.state.status).toBe('connecting');
    await connection.whenSynced();
    expect(connection.state.status).toBe('connected');
    expect(connection.awareness.getLocalState()).toMatchObject({
      user: { name: 'Ines', color: '#2563eb' }
    });

    net.cut();
    await waitFor(() => connection.state.status === 'offline', 'offline');
    expect(statuses).toContain('reconnecting');
    doc.getText('t').insert(0, 'a');
    doc.getText('t').insert(1, 'b');
    doc.getText('t').insert(2, 'c');
    expect(connection.state.unsynced).toBe(3);

    // Another participant edits meanwhile; both sides converge once we are back.
    const other = await connectDoc({
      doc: new Y.Doc(),
      fetchToken: () => tokenFor(),
      origin: origin(),
      events: null,
      WebSocketPolyfill: NodeWebSocket
    });
    open.push(other);
    await other.whenSynced();
    other.doc.getText('t').insert(0, 'X');

    net.restore();
    await waitFor(() => connection.state.status === 'connected', 'reconnected', 10_000);
    expect(connection.state.unsynced).toBe(0);
    await waitFor(
      () =>
        other.doc.getText('t').toString().length === 4 && doc.getText('t').toString().length === 4,
      'convergence'
    );
    expect(doc.getText('t').toString()).toBe(other.doc.getText('t').toString());
  });

  it('goes offline at once when the browser says so, and syncs as soon as it is back', async () => {
    const listeners = new Map<string, () => void>();
    let online = true;
    const doc = new Y.Doc();
    const connection = await connectDoc({
      doc,
      fetchToken: () => tokenFor(),
      origin: origin(),
      events: {
        addEventListener: (type, listener) => listeners.set(type, listener),
        removeEventListener: (type) => listeners.delete(type)
      },
      isOnline: () => online,
      WebSocketPolyfill: NodeWebSocket
    });
    open.push(connection);
    await connection.whenSynced();
    online = false;
    listeners.get('offline')?.();
    expect(connection.state.status).toBe('offline');
    doc.getText('t').insert(0, 'typed on a train');
    expect(connection.state.unsynced).toBe(1);

    online = true;
    listeners.get('online')?.();
    expect(connection.state.status).toBe('reconnecting');
    await waitFor(() => connection.state.status === 'connected', 'back online');
    expect(connection.state.unsynced).toBe(0);
    const reader = await connectDoc({
      doc: new Y.Doc(),
      fetchToken: () => tokenFor(),
      origin: origin(),
      events: null,
      WebSocketPolyfill: NodeWebSocket
    });
    open.push(reader);
    await reader.whenSynced();
    expect(reader.doc.getText('t').toString()).toBe('typed on a train');
  });

  it('fetches a fresh token when the server refuses an expired one', async () => {
    let calls = 0;
    const connection = await connectDoc({
      doc: new Y.Doc(),
      fetchToken: async () => {
        calls += 1;
        const good = await tokenFor(calls > 1);
        return calls === 1 ? { ...good, token: 'expired.not.valid' } : good;
      },
      origin: origin(),
      events: null,
      WebSocketPolyfill: NodeWebSocket
    });
    open.push(connection);
    await connection.whenSynced();
    expect(calls).toBe(2);
    expect(connection.state).toMatchObject({ status: 'connected', readOnly: true, error: null });
  });

  it('gives up with a message after repeated refusals', async () => {
    const connection = await connectDoc({
      doc: new Y.Doc(),
      fetchToken: async () => ({ ...(await tokenFor()), token: 'never.valid.token' }),
      origin: origin(),
      maxRefusals: 2,
      events: null,
      WebSocketPolyfill: NodeWebSocket
    });
    open.push(connection);
    await waitFor(() => connection.state.error !== null, 'giving up', 10_000);
    expect(connection.state).toMatchObject({
      status: 'offline',
      error: 'Access to this document was refused.'
    });
  });

  it('clears its awareness state on pagehide, so no ghost cursor stays behind', async () => {
    const listeners = new Map<string, () => void>();
    const connection = await connectDoc({
      doc: new Y.Doc(),
      fetchToken: () => tokenFor(),
      origin: origin(),
      user: { name: 'Cleo', color: '#059669' },
      events: {
        addEventListener: (type, listener) => listeners.set(type, listener),
        removeEventListener: (type) => listeners.delete(type)
      },
      WebSocketPolyfill: NodeWebSocket
    });
    open.push(connection);
    listeners.get('pagehide')?.();
    expect(connection.awareness.getLocalState()).toBeNull();
    listeners.get('pageshow')?.();
    expect(connection.awareness.getLocalState()).toMatchObject({ user: { name: 'Cleo' } });
    connection.destroy();
    expect(listeners.size).toBe(0);
  });
});
