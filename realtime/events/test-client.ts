/**
 * A socket.io client for tests: joins a session with a token, records every
 * event it receives, and sends events the way a hostile client could.
 */
import { io, type Socket } from 'socket.io-client';
import {
  SESSION_SOCKET_PATH,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SessionSnapshot
} from './contracts';

export type SessionClient = Socket<ServerToClientEvents, ClientToServerEvents>;
export type JoinedSession = {
  socket: SessionClient;
  state: SessionSnapshot;
  seen: { event: string; args: unknown[] }[];
};

/** Connects and resolves with the first `session:state`; rejects with the handshake refusal. */
export async function joinSession(
  url: string,
  token: string,
  opened: SessionClient[] = []
): Promise<JoinedSession> {
  const socket: SessionClient = io(url, {
    path: SESSION_SOCKET_PATH,
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    forceNew: true
  });
  opened.push(socket);
  const seen: JoinedSession['seen'] = [];
  socket.onAny((event: string, ...args: unknown[]) => seen.push({ event, args }));
  const state = await new Promise<SessionSnapshot>((resolve, reject) => {
    socket.once('session:state', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, state, seen };
}

/** Emits an event with an untyped payload and resolves with its acknowledgement. */
export function ask(
  socket: SessionClient,
  event: keyof ClientToServerEvents,
  payload: unknown
): Promise<Ack<unknown>> {
  return new Promise((resolve) => {
    (socket as unknown as Socket).emit(event, payload, (ack: Ack<unknown>) => resolve(ack));
  });
}
