import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CloseCode } from './close-codes';
import { send, type Connection } from './connection';
import { MessageType, encodeAwareness, encodeSyncMessage, encodeUpdate } from './protocol';
import type { DocHost } from './doc-host';
import type { DocKey } from './store';

/** Fills an empty document with starter content; runs on the server, never in a client. */
export type Seeder = (key: DocKey) => Promise<((doc: Y.Doc) => void) | null>;

/** Author of the server's own seed update. */
export const SYSTEM_AUTHOR = 'system';

export type RoomOptions = {
  key: DocKey;
  /** Holds every room's document and log; this room only relays. */
  host: DocHost;
  seed?: Seeder;
};

export type Room = {
  key: DocKey;
  conns: Set<Connection>;
  /** The document's whole state as one update. */
  state(): Promise<Uint8Array>;
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
export function createRoom({ key, host, seed }: RoomOptions): Room {
  // Awareness needs a document for its client id; the content lives in the host.
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  // The server is not a participant: no cursor of its own.
  awareness.setLocalState(null);
  const conns = new Set<Connection>();
  let opened = false;

  const state = (): Promise<Uint8Array> => host.diff(key);

  const broadcast = (message: Uint8Array, except: unknown): void => {
    for (const conn of conns) if (conn !== except) send(conn, message);
  };

  /** Answers arrive after the host replies; a socket closed meanwhile just gets nothing. */
  const reply = (
    conn: Connection,
    answer: Promise<Uint8Array>,
    encode: (bytes: Uint8Array) => Uint8Array
  ): void => {
    answer.then(
      (bytes) => send(conn, encode(bytes)),
      (error: unknown) => {
        conn.logger.error({ err: error }, 'yjs document unavailable');
        conn.ws.close(CloseCode.InternalError, 'document unavailable');
      }
    );
  };

  const load = async (): Promise<void> => {
    const { empty } = await host.open(key);
    opened = true;
    if (!seed || !empty) return;
    const init = await seed(key);
    if (!init) return;
    // No socket's edit is handled before this resolves (every connection awaits `ready`), so
    // the document is still empty: the seed is written as one update by the server.
    const starter = new Y.Doc();
    init(starter);
    host.add(key, Y.encodeStateAsUpdate(starter), SYSTEM_AUTHOR, Date.now());
    starter.destroy();
    await host.flush(key);
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
      const sv = decoding.readVarUint8Array(decoder).slice();
      reply(conn, host.diff(key, sv), (diff) =>
        encodeSyncMessage(syncProtocol.messageYjsSyncStep2, diff)
      );
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
    // The others get the author's own bytes at once; the host applies and logs those same
    // bytes. Yjs updates are idempotent, so a duplicate costs nothing but bytes, and one whose
    // dependencies are not here yet waits in each receiver just as it does in the host.
    broadcast(
      type === syncProtocol.messageYjsUpdate && !decoding.hasContent(decoder)
        ? message
        : encodeUpdate(update),
      conn
    );
    host.add(key, update, conn.claims.participantId, Date.now());
  };

  return {
    key,
    conns,
    state,
    ready: load(),
    join(conn) {
      conns.add(conn);
      reply(conn, host.stateVector(key), (sv) =>
        encodeSyncMessage(syncProtocol.messageYjsSyncStep1, sv)
      );
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
    flush: () => (opened ? host.flush(key) : Promise.resolve()),
    pending: () => (opened ? host.pending(key) : 0),
    destroy() {
      if (opened) host.close(key);
      awareness.doc.destroy();
      awareness.destroy();
    }
  };
}

function isConnection(origin: unknown, conns: ReadonlySet<unknown>): origin is Connection {
  // Only our own sockets are put in conns, so membership proves the type.
  return conns.has(origin);
}
