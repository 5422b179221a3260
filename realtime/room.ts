import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { send, type Connection } from './connection';
import type { Logger } from './logger';
import {
  MessageType,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate
} from './protocol';
import type { DocKey, DocStore } from './store';
import { createUpdateLog, type UpdateLog } from './update-log';

/** Fills an empty document with starter content; runs on the server, never in a client. */
export type Seeder = (key: DocKey) => Promise<((doc: Y.Doc) => void) | null>;

/** Origin of the server's own seed transaction; stored with author 'system'. */
const SEED_ORIGIN = Symbol('seed');
export const SYSTEM_AUTHOR = 'system';

export type RoomOptions = {
  key: DocKey;
  store: DocStore;
  logger: Logger;
  batchMs: number;
  snapshotEvery: number;
  seed?: Seeder;
};

export type Room = {
  key: DocKey;
  doc: Y.Doc;
  conns: Set<Connection>;
  /** Resolves once the document is loaded (and seeded); rejects if the store failed. */
  ready: Promise<void>;
  join(conn: Connection): void;
  leave(conn: Connection): void;
  /** Throws on a malformed message; the caller closes that socket. */
  handle(conn: Connection, message: Uint8Array): void;
  flush(): Promise<void>;
  pending(): number;
  destroy(): void;
};

/** One loaded document and the sockets editing it. */
export function createRoom({
  key,
  store,
  logger,
  batchMs,
  snapshotEvery,
  seed
}: RoomOptions): Room {
  const doc = new Y.Doc({ gc: true });
  const awareness = new awarenessProtocol.Awareness(doc);
  // The server is not a participant: no cursor of its own.
  awareness.setLocalState(null);
  const conns = new Set<Connection>();
  let log: UpdateLog | null = null;

  const broadcast = (message: Uint8Array, except: unknown): void => {
    for (const conn of conns) if (conn !== except) send(conn, message);
  };

  const load = async (): Promise<void> => {
    const loaded = await store.load(key);
    // Applied without an origin and before the update listener exists: not re-persisted.
    if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot.state);
    for (const { update } of loaded.updates) Y.applyUpdate(doc, update);
    const updateLog = createUpdateLog({
      store,
      key,
      logger,
      batchMs,
      snapshotEvery,
      sinceSnapshot: loaded.updates.length,
      encodeState: () => Y.encodeStateAsUpdate(doc)
    });
    log = updateLog;
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      const author = isConnection(origin, conns) ? origin.claims.participantId : SYSTEM_AUTHOR;
      updateLog.push(update, author);
      broadcast(encodeUpdate(update), origin);
    });
    if (seed && doc.store.clients.size === 0) {
      const init = await seed(key);
      // Another load cannot race this one: every connection awaits this same promise.
      if (init && doc.store.clients.size === 0) {
        doc.transact(() => init(doc), SEED_ORIGIN);
        await updateLog.flush();
      }
    }
  };

  awareness.on(
    'update',
    (
      { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown
    ) => {
      if (isConnection(origin, conns)) {
        for (const id of added) origin.awarenessIds.add(id);
        for (const id of removed) origin.awarenessIds.delete(id);
      }
      const changed = added.concat(updated, removed);
      if (changed.length > 0) broadcast(encodeAwareness(awareness, changed), null);
    }
  );

  const handleSync = (conn: Connection, decoder: decoding.Decoder): void => {
    const type = decoding.readVarUint(decoder);
    if (type === syncProtocol.messageYjsSyncStep1) {
      send(conn, encodeSyncStep2(doc, decoding.readVarUint8Array(decoder)));
      return;
    }
    if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate) {
      throw new Error(`unknown sync message type ${type}`);
    }
    const update = decoding.readVarUint8Array(decoder);
    if (conn.readOnly) {
      // Dropped, not closed: a viewer's client sends its (usually empty) state as step 2.
      // An empty Yjs update is 2 bytes; anything larger was a real edit attempt.
      if (update.length > 2) {
        conn.logger.info({ bytes: update.length }, 'dropped update from read-only role');
      }
      return;
    }
    // Parse before applying so a garbage update fails here and never half-applies.
    Y.decodeUpdate(update);
    Y.applyUpdate(doc, update, conn);
  };

  return {
    key,
    doc,
    conns,
    ready: load(),
    join(conn) {
      conns.add(conn);
      send(conn, encodeSyncStep1(doc));
      const states = [...awareness.getStates().keys()];
      if (states.length > 0) send(conn, encodeAwareness(awareness, states));
    },
    leave(conn) {
      if (!conns.delete(conn)) return;
      const ids = [...conn.awarenessIds];
      if (ids.length > 0) awarenessProtocol.removeAwarenessStates(awareness, ids, null);
    },
    handle(conn, message) {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MessageType.Sync:
          handleSync(conn, decoder);
          return;
        case MessageType.Awareness:
          awarenessProtocol.applyAwarenessUpdate(
            awareness,
            decoding.readVarUint8Array(decoder),
            conn
          );
          return;
        case MessageType.QueryAwareness:
          send(conn, encodeAwareness(awareness, [...awareness.getStates().keys()]));
          return;
        case MessageType.Auth:
          // Auth happens on the upgrade; the in-band auth message carries nothing for us.
          return;
        default:
          throw new Error(`unknown message type ${type}`);
      }
    },
    flush: () => (log ? log.flush() : Promise.resolve()),
    pending: () => (log ? log.pending() : 0),
    destroy() {
      log?.dispose();
      awareness.destroy();
      doc.destroy();
    }
  };
}

function isConnection(origin: unknown, conns: ReadonlySet<unknown>): origin is Connection {
  // Only our own sockets are put in conns, so membership proves the type.
  return conns.has(origin);
}
