import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server as Engine } from 'engine.io';
import { Server, type Socket } from 'socket.io';
import type { Logger } from '../logger';
import {
  SESSION_SOCKET_PATH,
  clientEventSchemas,
  isStaffRole,
  type Ack,
  type ClientEventName,
  type ClientToServerEvents,
  type ServerToClientEvents
} from './contracts';
import { createHandlers, type Context } from './handlers';
import { isSessionProblem, SessionProblem } from './problems';
import { createRateLimit } from './rate-limit';
import { snapshotFor } from './snapshot';
import { addSocket, createSessions, participantsOf, removeSocket, track } from './sessions';
import type { RunGateway, SessionStore } from './store';
import type { SessionClaims, SessionTokens } from './tokens';

/** Bytes; larger socket.io packets close that socket (stdin is capped at 64 KiB). */
export const MAX_SESSION_PACKET_BYTES = 256 * 1024;

export type SessionServerOptions = {
  tokens: SessionTokens;
  store: SessionStore;
  runs: RunGateway;
  logger: Logger;
  /** Called after the interviewer ended the session, e.g. to make the candidate's pad read-only. */
  onSessionEnded?: (interviewId: string) => void;
  /** Milliseconds a session without sockets stays loaded. Default 60000. */
  idleUnloadMs?: number;
  /** Engine heartbeat, milliseconds. Default 25000 / 20000 (socket.io's). */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
};

export type SessionServer = {
  /** For the app's upgrade router, at SESSION_SOCKET_PATH. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
  stats(): { sessions: number; sockets: number; activeRuns: number };
};

type SocketData = { claims: SessionClaims };
type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;

export const roomOf = (interviewId: string) => `interview:${interviewId}`;
/** Staff-only data (integrity markers) goes to this room; candidates never join it. */
export const staffRoomOf = (interviewId: string) => `interview:${interviewId}:staff`;

const knownEvents: ReadonlySet<string> = new Set(Object.keys(clientEventSchemas));

/**
 * The socket.io side of a live session: presence, chat, questions, timer,
 * runs and integrity signals. Every payload is parsed with zod; every refusal
 * has a stable code. Websocket transport only, so no sticky sessions.
 */
export function createSessionServer(options: SessionServerOptions): SessionServer {
  const { tokens, store, runs, logger, onSessionEnded } = options;
  // The upgrade router hands this engine only SESSION_SOCKET_PATH; it needs no path of its own.
  const engine = new Engine({
    transports: ['websocket'],
    allowUpgrades: false,
    maxHttpBufferSize: MAX_SESSION_PACKET_BYTES,
    pingInterval: options.pingIntervalMs ?? 25_000,
    pingTimeout: options.pingTimeoutMs ?? 20_000,
    perMessageDeflate: false
  });
  const io = new Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>({
    path: SESSION_SOCKET_PATH,
    serveClient: false,
    transports: ['websocket']
  });
  io.bind(engine);
  const sessions = createSessions({
    store,
    logger,
    idleUnloadMs: options.idleUnloadMs ?? 60_000
  });
  const handlers = createHandlers({ io, store, runs, logger, onSessionEnded });
  let closing = false;

  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token =
      typeof auth === 'object' && auth && 'token' in auth && typeof auth.token === 'string'
        ? auth.token
        : '';
    if (closing) {
      next(refusal('unavailable', 'The server is restarting; reconnecting shortly.'));
      return;
    }
    tokens.verify(token).then(
      (claims) => {
        socket.data.claims = claims;
        next();
      },
      () => next(refusal('unauthorized', 'Your session link has expired; reload the page.'))
    );
  });

  io.on('connection', (socket: SessionSocket) => {
    const { claims } = socket.data;
    const log = logger.child({
      interviewId: claims.interviewId,
      participantId: claims.participantId,
      role: claims.role
    });
    const session = sessions.acquire(claims.interviewId);
    const context: Context = {
      session,
      claims,
      socket,
      log,
      chatLimit: createRateLimit(20, 10_000),
      integrityLimit: createRateLimit(120, 60_000),
      signalLimit: createRateLimit(200, 10_000)
    };
    void socket.join(roomOf(claims.interviewId));
    if (isStaffRole(claims.role)) void socket.join(staffRoomOf(claims.interviewId));

    for (const name of Object.keys(clientEventSchemas) as ClientEventName[]) {
      // Registered at once, before the session has loaded: events sent early wait for it.
      (socket as unknown as Socket).on(name, (payload: unknown, ack: unknown) => {
        void dispatch(context, name, payload, ack);
      });
    }
    socket.onAny((event: unknown) => {
      if (typeof event === 'string' && knownEvents.has(event)) return;
      socket.emit('problem', {
        code: 'unknown_event',
        message: `There is no event named "${String(event).slice(0, 40)}".`,
        event: String(event).slice(0, 40)
      });
    });

    let left = false;
    socket.on('disconnect', () => {
      left = true;
      handlers.leaveCall(context);
      session.ready.then(
        () => {
          if (removeSocket(session, claims.participantId, socket.id)) {
            handlers.record(context, 'leave', {});
          }
          io.to(roomOf(claims.interviewId)).emit('presence', participantsOf(session));
          sessions.release(session);
        },
        () => sessions.release(session)
      );
    });

    session.ready.then(
      (state) => {
        if (left) return;
        const first = addSocket(
          session,
          { id: claims.participantId, name: claims.name, role: claims.role },
          socket.id
        );
        socket.emit('session:state', snapshotFor(state, session, claims, socket.id));
        socket.to(roomOf(claims.interviewId)).emit('presence', participantsOf(session));
        if (first) handlers.record(context, 'join', {});
      },
      (error: unknown) => {
        log.error({ err: error }, 'session load failed');
        socket.emit('problem', {
          code: 'internal_error',
          message: 'The session could not be loaded. Reload to try again.'
        });
        socket.disconnect(true);
      }
    );
  });

  const dispatch = async (
    context: Context,
    name: ClientEventName,
    payload: unknown,
    ack: unknown
  ): Promise<void> => {
    const reply = (answer: Ack<unknown>): void => {
      if (typeof ack === 'function') (ack as (a: Ack<unknown>) => void)(answer);
      else if (!answer.ok) context.socket.emit('problem', { ...answer.error, event: name });
    };
    try {
      const state = await context.session.ready;
      const data = await track(context.session, handlers.handle(context, state, name, payload));
      reply({ ok: true, data });
    } catch (error) {
      if (isSessionProblem(error)) {
        // Refusals are logged (never the payload): a stream of them is worth seeing.
        context.log.info({ event: name, code: error.code }, 'session event refused');
        reply({ ok: false, error: { code: error.code, message: error.message } });
        return;
      }
      const errorId = crypto.randomUUID();
      context.log.error({ err: error, errorId, event: name }, 'session event failed');
      reply({
        ok: false,
        error: {
          code: 'internal_error',
          message: `Something went wrong on our side (error id ${errorId}). Try again.`
        }
      });
    }
  };

  let closed: Promise<void> | null = null;
  return {
    handleUpgrade(req, socket, head) {
      if (closing) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return;
      }
      engine.handleUpgrade(req, socket, head);
    },
    close() {
      closed ??= (async () => {
        closing = true;
        io.disconnectSockets(true);
        await sessions.closeAll();
        await new Promise<void>((resolve) => io.close(() => resolve()));
      })();
      return closed;
    },
    stats() {
      const all = sessions.all();
      return {
        sessions: all.length,
        sockets: io.sockets.sockets.size,
        activeRuns: all.reduce((n, s) => n + s.activeRuns.size, 0)
      };
    }
  };
}

function refusal(code: string, message: string): Error {
  return Object.assign(new Error(message), { data: { code, message } });
}

export { SessionProblem };
