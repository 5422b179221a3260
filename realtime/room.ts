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
import { createSettlingDoc } from './settling-doc';
import type { DocKey, DocStore } from './store';
import type { DocLog, UpdateWriter } from './update-writer';

/** Fills an empty document with starter content; runs on the server, never in a client. */
export type Seeder = (key: DocKey) => Promise<((doc: Y.Doc) => void) | null>;

/** Origin of the server's own seed transaction; stored with author 'system'. */
const SEED_ORIGIN = Symbol('seed');
export const SYSTEM_AUTHOR = 'system';

export type RoomOptions = {
  key: DocKey;
  store: DocStore;
  /** Shared by every room, so that their updates are written together. */
  writer: UpdateWriter;
  logger: Logger;
  seed?: Seeder;
};

export type Room = {
  key: DocKey;
  conns: Set<Connection>;
  /** The document's whole state as one update. */
  state(): Uint8Array;
  /** Resolves once the document is loaded (and seeded); rejects if the store failed. */
  ready: Promise<void>;
  join(conn: Connection): void;
  leave(conn: Connection): void;
  /** Throws on a malformed message; the caller closes that socket. */
  handle(conn: Connection, message: Uint8Array): void;
  /** Resolves once every update of this document received so far is durable. */
  flush(): Promise<void>;
  pending(): number;
  /** Frees the document; updates still queued are still written. */
  destroy(): void;
};

/** One loaded document and the sockets editing it. */
export function createRoom({ key, store, writer, logger, seed }: RoomOptions): Room {
  const settling = createSettlingDoc({ logger });
  const doc = settling.current();
  const awareness = new awarenessProtocol.Awareness(doc);
  // The server is not a participant: no cursor of its own.
  awareness.setLocalState(null);
  const conns = new Set<Connection>();
  let log: DocLog | null = null;

  const state = (): Uint8Array => Y.encodeStateAsUpdate(settling.current());

  const broadcast = (message: Uint8Array, except: unknown): void => {
    for (const conn of conns) if (conn !== except) send(conn, message);
  };

  const load = async (): Promise<void> => {
    const loaded = await store.load(key);
    if (loaded.snapshot) settling.add(loaded.snapshot.state);
    for (const { update } of loaded.updates) settling.add(update);
    settling.current();
    const docLog = writer.open(key, {
      sinceSnapshot: loaded.updates.length,
      encodeState: state
    });
    log = docLog;
    if (seed && doc.store.clients.size === 0) {
      const init = await seed(key);
      // Another load cannot race this one: every connection awaits this same promise.
      if (init && doc.store.clients.size === 0) {
        const before = Y.encodeStateVector(doc);
        doc.transact(() => init(doc), SEED_ORIGIN);
        docLog.push(Y.encodeStateAsUpdate(doc, before), SYSTEM_AUTHOR);
        await docLog.flush();
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

  const handleSync = (conn: Connection, decoder: decoding.Decoder, message: Uint8Array): void => {
    const type = decoding.readVarUint(decoder);
    if (type === syncProtocol.messageYjsSyncStep1) {
      send(conn, encodeSyncStep2(settling.current(), decoding.readVarUint8Array(decoder)));
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
    // Parsed first, so a garbage update fails here: never half-applied, never passed on.
    const { structs, ds } = Y.decodeUpdate(update);
    // A client with nothing new answers sync with an empty update: nothing to apply or keep.
    if (structs.length === 0 && ds.clients.size === 0) return;
    // Copied: a view would keep the socket's whole read buffer alive until written.
    const accepted = update.slice();
    // The others get the author's own bytes at once, and the log keeps them. The document
    // emits no update events and applies in batches (settling-doc.ts), since a transaction and
    // an encoded event per keystroke were most of the server's garbage (docs/benchmarks.md).
    // Yjs updates are idempotent, so a duplicate costs nothing but bytes, and one whose
    // dependencies are not here yet waits in each receiver just as it does in the server.
    broadcast(
      type === syncProtocol.messageYjsUpdate && !decoding.hasContent(decoder)
        ? message
        : encodeUpdate(accepted),
      conn
    );
    settling.add(accepted);
    log?.push(accepted, conn.claims.participantId);
  };

  return {
    key,
    conns,
    state,
    ready: load(),
    join(conn) {
      conns.add(conn);
      send(conn, encodeSyncStep1(settling.current()));
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
          handleSync(conn, decoder, message);
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
      log?.close();
      awareness.destroy();
      settling.destroy();
    }
  };
}

function isConnection(origin: unknown, conns: ReadonlySet<unknown>): origin is Connection {
  // Only our own sockets are put in conns, so membership proves the type.
  return conns.has(origin);
}
