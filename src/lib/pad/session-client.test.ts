import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SESSION_SOCKET_PATH,
  type ClientToServerEvents,
  type PadRun,
  type ServerToClientEvents,
  type SessionSnapshot
} from '$realtime/events/contracts';
import { waitFor } from '../../../realtime/test-harness';
import { SessionClient, SessionRequestError, type SessionToken } from './session-client.svelte';

/** A stand-in session server: just enough of the contract to drive the client. */
let http: HttpServer;
let server: Server<ClientToServerEvents, ServerToClientEvents>;
let origin: string;
const issued: string[] = [];
const clients: SessionClient[] = [];

const you = {
  id: 'c1',
  name: 'Cleo',
  role: 'candidate' as const,
  color: '#059669',
  state: 'active' as const
};

function snapshot(): SessionSnapshot {
  return {
    you,
    participants: [you],
    chat: [],
    revealed: [],
    library: [],
    timer: { startedAt: null, durationSeconds: null },
    settings: { candidateCanRun: true },
    endedAt: null,
    runs: [],
    integrity: []
  };
}

const run: PadRun = {
  id: 'r1',
  byId: 'c1',
  byName: 'Cleo',
  language: 'python',
  entry: 'main.py',
  status: 'running',
  exitCode: null,
  wallMs: null,
  memoryKb: null,
  stdout: '',
  stderr: '',
  compileOutput: '',
  startedAt: new Date().toISOString(),
  finishedAt: null
};

beforeEach(async () => {
  http = createServer();
  server = new Server(http, { path: SESSION_SOCKET_PATH, transports: ['websocket'] });
  server.use((socket, next) => {
    const token: unknown = socket.handshake.auth.token;
    if (typeof token === 'string' && issued.includes(token)) next();
    else next(new Error('Your session token is not valid.'));
  });
  server.on('connection', (socket) => {
    socket.emit('session:state', snapshot());
    socket.on('chat:send', (payload, ack) => {
      if (payload.text === 'forbidden') {
        ack({ ok: false, error: { code: 'forbidden', message: 'Not you.' } });
        return;
      }
      const message = {
        id: 'm1',
        authorId: you.id,
        authorName: you.name,
        role: you.role,
        text: payload.text,
        at: new Date().toISOString()
      };
      server.emit('chat:message', message);
      ack({ ok: true, data: message });
    });
    socket.on('run:start', (_payload, ack) => {
      ack({ ok: true, data: run });
      server.emit('run:started', run);
      server.emit('run:output', { runId: run.id, stream: 'stdout', data: 'hello\n' });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.close();
});

function client(fetchToken?: () => Promise<SessionToken>): SessionClient {
  const created = new SessionClient({
    origin,
    fetchToken:
      fetchToken ??
      (async () => {
        const token = `t${issued.length}`;
        issued.push(token);
        return {
          token,
          expiresInSeconds: 300,
          role: 'candidate',
          readOnly: false,
          participant: { id: you.id, name: you.name, color: you.color }
        };
      }),
    ackTimeoutMs: 2_000,
    retryDelayMs: 20
  });
  clients.push(created);
  created.connect();
  return created;
}

describe('session client', () => {
  it('joins with a token, follows events and resolves acknowledged requests', async () => {
    const session = client();
    await waitFor(() => session.view !== null, 'the snapshot');
    expect(session.status).toBe('connected');
    expect(session.identity).toMatchObject({ name: 'Cleo', role: 'candidate' });

    const sent = await session.request('chat:send', { text: 'Hello' });
    expect(sent.text).toBe('Hello');
    await waitFor(() => session.view?.chat.length === 1, 'the broadcast');
    // The broadcast of our own message is not shown twice.
    expect(session.view?.chat).toHaveLength(1);

    await expect(session.request('chat:send', { text: 'forbidden' })).rejects.toEqual(
      new SessionRequestError({ code: 'forbidden', message: 'Not you.' })
    );

    await session.request('run:start', { stdin: '' });
    await waitFor(() => session.view?.runs[0]?.stdout === 'hello\n', 'streamed output');
    expect(session.view?.runs[0]?.status).toBe('running');
  });

  it('closes when the browser goes offline and rejoins with a fresh token when it is back', async () => {
    const session = client();
    await waitFor(() => session.status === 'connected', 'connected');
    const before = issued.length;
    session.networkChanged(false);
    expect(session.status).toBe('offline');
    // Sent while offline: buffered, delivered after the rejoin.
    const sent = session.request('chat:send', { text: 'sent from a tunnel' });
    session.networkChanged(true);
    expect((await sent).text).toBe('sent from a tunnel');
    expect(session.status).toBe('connected');
    expect(issued.length).toBe(before + 1);
  });

  it('fetches a fresh token when the server drops it, and gives up after repeated refusals', async () => {
    const session = client();
    await waitFor(() => session.status === 'connected', 'connected');
    const before = issued.length;
    server.disconnectSockets(true);
    await waitFor(() => issued.length > before && session.status === 'connected', 'rejoined');
    expect(issued.length).toBe(before + 1);

    const refused = client(async () => ({
      token: 'forged',
      expiresInSeconds: 300,
      role: 'candidate',
      readOnly: false,
      participant: { id: 'x', name: 'X', color: '#000000' }
    }));
    await waitFor(() => refused.error !== null, 'giving up', 10_000);
    expect(refused.status).toBe('offline');
    expect(refused.error).toBe('Your session token is not valid.');
  });
});
