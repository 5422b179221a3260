import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CloseCode } from './close-codes';
import type { Connection } from './connection';
import type { Logger } from './logger';
import type { Seeder } from './room';
import { createRooms } from './rooms';
import { createLocalDocHost, type DocHost } from './doc-host';
import type { DocKey, DocStore } from './store';
import { createWorkerDocHost, type DocWorkerOptions } from './worker-doc-host';
import { isReadOnlyRole, type DocClaims, type DocTokens } from './tokens';
import { authorizeUpgrade } from './upgrade-auth';

/** Document names: one lowercase word, e.g. `code`, `notes`, `file-2`. */
export const DEFAULT_DOC_NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** Default and maximum message size in bytes (1 MiB / 16 MiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
export const MAX_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export type YjsServerOptions = {
  /**
   * Where documents are kept: a store used in this thread, or `worker`, a module run in a
   * worker thread that builds its own store (doc-worker.ts). With a worker, applying, encoding
   * and writing documents never delay an edit on its way to the other sockets.
   */
  documents: { store: DocStore } | { worker: DocWorkerOptions };
  tokens: DocTokens;
  logger: Logger;
  /** Which document names may be opened. Default: DEFAULT_DOC_NAME. */
  allowedDocs?: (doc: string) => boolean;
  /** Bytes; larger messages close the socket with 4413. Default 1 MiB, maximum 16 MiB. */
  maxMessageBytes?: number;
  /** Milliseconds updates wait to be appended together. Default 50. */
  batchMs?: number;
  /** Updates between keyframe snapshots. Default 200. */
  snapshotEvery?: number;
  /** Milliseconds a document without sockets stays loaded. Default 30000. */
  idleUnloadMs?: number;
  /** Milliseconds between pings; a socket that missed a pong by the next one is closed. Default 30000. */
  pingIntervalMs?: number;
  /** Starter content for an empty document, written by the server. */
  seed?: Seeder;
};

export type YjsServerStats = { documents: number; connections: number; pendingUpdates: number };

export type YjsServer = {
  /** For the app's `upgrade` router: paths `/yjs/<interviewId>/<doc>?token=<jwt>`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Resolves once every update received so far is durable (acknowledged) in the store. */
  flush(): Promise<void>;
  /** Refuses new sockets, closes open ones, flushes everything; the SIGTERM path calls this. */
  close(): Promise<void>;
  stats(): YjsServerStats;
  /**
   * Runs the collector where the documents live, for memory measurements: only when the
   * process was started with --expose-gc, and otherwise does nothing.
   */
  collectGarbage(): Promise<void>;
  /** A document's whole state as one update, loading (and seeding) it if no one has it open. */
  read(key: DocKey): Promise<Uint8Array>;
  /** Closes the matching sockets with a code, e.g. the candidate's when a session ends. */
  disconnect(
    match: (key: DocKey, claims: DocClaims) => boolean,
    code: number,
    reason: string
  ): number;
};

export function createYjsServer(options: YjsServerOptions): YjsServer {
  const {
    documents,
    tokens,
    logger,
    allowedDocs = (doc: string) => DEFAULT_DOC_NAME.test(doc),
    maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
    batchMs = 50,
    snapshotEvery = 200,
    idleUnloadMs = 30_000,
    pingIntervalMs = 30_000,
    seed
  } = options;
  if (!(maxMessageBytes > 0 && maxMessageBytes <= MAX_MAX_MESSAGE_BYTES)) {
    throw new Error(`maxMessageBytes must be in (0, ${MAX_MAX_MESSAGE_BYTES}]`);
  }

  // ws itself cuts frames far beyond the cap (1009) so they are never buffered; between the cap
  // and this hard limit we close with our own 4413, which clients can tell apart.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes * 4 });
  const host: DocHost =
    'store' in documents
      ? createLocalDocHost({ store: documents.store, logger, batchMs, snapshotEvery })
      : createWorkerDocHost({ ...documents.worker, logger, batchMs, snapshotEvery });
  const rooms = createRooms({ host, logger, idleUnloadMs, seed });
  const connections = new Set<Connection>();
  let closing = false;

  const refuse = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    code: number,
    reason: string
  ) => wss.handleUpgrade(req, socket, head, (ws) => ws.close(code, reason));

  const open = (ws: WebSocket, { key, claims }: { key: DocKey; claims: DocClaims }): void => {
    const conn: Connection = {
      ws,
      key,
      claims,
      readOnly: isReadOnlyRole(claims.role) || claims.readOnly === true,
      logger: logger.child({
        interviewId: key.interviewId,
        doc: key.doc,
        participantId: claims.participantId,
        role: claims.role
      }),
      awarenessIds: new Set(),
      alive: true
    };
    connections.add(conn);
    const room = rooms.acquire(key);
    // Messages that arrive while the document loads wait, in order, until it is there.
    const early: Uint8Array[] = [];
    let joined = false;
    let closed = false;

    const dispatch = (message: Uint8Array): void => {
      if (closed) return;
      try {
        room.handle(conn, message);
      } catch (error) {
        conn.logger.warn({ err: error }, 'malformed yjs message');
        ws.close(CloseCode.Malformed, 'malformed message');
        closed = true;
      }
    };

    ws.on('message', (data: RawData, isBinary: boolean) => {
      // During close() the final flush has begun: a late update is not acknowledged, and the
      // client's reconnect sync sends it again.
      if (closed || closing) return;
      const message = toBytes(data);
      if (message.length > maxMessageBytes) {
        conn.logger.warn({ bytes: message.length }, 'yjs message too big');
        ws.close(CloseCode.MessageTooBig, 'message too big');
        closed = true;
        return;
      }
      if (!isBinary) {
        ws.close(CloseCode.Malformed, 'text frames are not y-websocket');
        closed = true;
        return;
      }
      if (joined) dispatch(message);
      else early.push(message);
    });
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', (error) => conn.logger.debug({ err: error }, 'yjs socket error'));
    ws.on('close', () => {
      closed = true;
      connections.delete(conn);
      room.leave(conn);
      rooms.release(room);
    });

    room.ready.then(
      () => {
        if (closed) return;
        joined = true;
        room.join(conn);
        for (const message of early.splice(0)) dispatch(message);
      },
      (error: unknown) => {
        conn.logger.error({ err: error }, 'yjs document load failed');
        ws.close(CloseCode.InternalError, 'document unavailable');
      }
    );
  };

  const keepalive = setInterval(() => {
    for (const conn of connections) {
      if (!conn.alive) {
        conn.logger.info({}, 'yjs socket missed a pong; closing');
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }, pingIntervalMs);
  keepalive.unref();

  const shutdown = async (): Promise<void> => {
    closing = true;
    clearInterval(keepalive);
    for (const conn of connections) conn.ws.close(CloseCode.ShuttingDown, 'shutting down');
    await rooms.closeAll();
    for (const conn of connections) conn.ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
  // The SIGTERM path and the app may both call close(); they share one shutdown.
  let shutdownDone: Promise<void> | null = null;

  return {
    handleUpgrade(req, socket, head) {
      if (closing) {
        refuse(req, socket, head, CloseCode.ShuttingDown, 'shutting down');
        return;
      }
      authorizeUpgrade(req, tokens, allowedDocs).then(
        (decision) => {
          if (!decision.ok) {
            logger.info({ code: decision.code, reason: decision.reason }, 'yjs upgrade refused');
            refuse(req, socket, head, decision.code, decision.reason);
            return;
          }
          if (closing) {
            refuse(req, socket, head, CloseCode.ShuttingDown, 'shutting down');
            return;
          }
          wss.handleUpgrade(req, socket, head, (ws) => open(ws, decision));
        },
        (error: unknown) => {
          logger.error({ err: error }, 'yjs upgrade failed');
          socket.destroy();
        }
      );
    },
    flush: () => rooms.flushAll(),
    collectGarbage: () => rooms.collectGarbage(),
    close() {
      shutdownDone ??= shutdown();
      return shutdownDone;
    },
    async read(key) {
      const room = rooms.acquire(key);
      try {
        await room.ready;
        return await room.state();
      } finally {
        rooms.release(room);
      }
    },
    disconnect(match, code, reason) {
      let count = 0;
      for (const conn of connections) {
        if (!match(conn.key, conn.claims)) continue;
        conn.ws.close(code, reason);
        count += 1;
      }
      return count;
    },
    stats() {
      const all = rooms.all();
      return {
        documents: all.length,
        connections: connections.size,
        pendingUpdates: all.reduce((sum, room) => sum + room.pending(), 0)
      };
    }
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
