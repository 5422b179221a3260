import * as Y from 'yjs';
import type { Logger } from './logger';
import { createSettlingDoc, type SettlingDoc } from './settling-doc';
import { docId, type DocKey, type DocStore } from './store';
import { createUpdateWriter, type DocLog } from './update-writer';

/**
 * Where the server's copy of each loaded document lives, with its log: everything about a
 * document except its sockets. Rooms talk to it only through this interface, so it can run in
 * the thread that relays edits (createLocalDocHost) or in a worker thread of its own
 * (worker-doc-host.ts), where applying, encoding and writing never hold up a relayed edit.
 * Every call about one document is handled in call order.
 */
export type DocHost = {
  /** Loads a document from the store and starts logging it; `empty` when it has no content. */
  open(key: DocKey): Promise<{ empty: boolean }>;
  /**
   * An update that parsed as a Yjs update, accepted from `author` at `at` (ms since epoch).
   * The host copies what it keeps: `update` may be a view of a socket's buffer.
   */
  add(key: DocKey, update: Uint8Array, author: string, at: number): void;
  /** The document's state vector, every update added before the call included. */
  stateVector(key: DocKey): Promise<Uint8Array>;
  /** What the document has that a peer with state vector `sv` lacks; the whole state without. */
  diff(key: DocKey, sv?: Uint8Array): Promise<Uint8Array>;
  /** Resolves once every update added before the call (of `key`, or of all) is durable. */
  flush(key?: DocKey): Promise<void>;
  /** Updates added and not yet known to be durable (of `key`, or of all). */
  pending(key?: DocKey): number;
  /** Unloads a document; its updates still queued are still written. */
  close(key: DocKey): void;
  /**
   * Collects garbage where the documents live, when the process runs with --expose-gc: a
   * worker thread has a heap of its own, out of reach of the main thread's gc().
   */
  collectGarbage(): Promise<void>;
  /** After flush(): stops timers (and the worker). Queued updates stay unwritten. */
  dispose(): Promise<void>;
};

export type DocHostOptions = {
  store: DocStore;
  logger: Logger;
  /** Milliseconds updates wait to be written together. */
  batchMs: number;
  /** Updates of a document between keyframes. */
  snapshotEvery: number;
  /** Told after each write how many of a document's oldest added updates became durable. */
  onWritten?: (key: DocKey, count: number) => void;
};

type Loaded = { settling: SettlingDoc; log: DocLog };

/** The documents in this thread: settling copies (settling-doc.ts) and one shared writer. */
export function createLocalDocHost({
  store,
  logger,
  batchMs,
  snapshotEvery,
  onWritten
}: DocHostOptions): DocHost {
  const writer = createUpdateWriter({ store, logger, batchMs, snapshotEvery, onWritten });
  const docs = new Map<string, Loaded>();

  const loaded = (key: DocKey): Loaded => {
    const entry = docs.get(docId(key));
    if (!entry) throw new Error(`document ${docId(key)} is not open`);
    return entry;
  };

  return {
    async open(key) {
      if (docs.has(docId(key))) throw new Error(`document ${docId(key)} is already open`);
      const stored = await store.load(key);
      const settling = createSettlingDoc({ logger: logger.child({ doc: docId(key) }) });
      if (stored.snapshot) settling.add(stored.snapshot.state);
      for (const { update } of stored.updates) settling.add(update);
      const doc = settling.current();
      const log = writer.open(key, {
        sinceSnapshot: stored.updates.length,
        encodeState: () => Y.encodeStateAsUpdate(settling.current())
      });
      docs.set(docId(key), { settling, log });
      return { empty: doc.store.clients.size === 0 };
    },
    add(key, update, author, at) {
      const { settling, log } = loaded(key);
      // Copied: a view would keep the socket's whole read buffer alive until written.
      const own = update.slice();
      settling.add(own);
      log.push(own, author, new Date(at));
    },
    stateVector: async (key) => Y.encodeStateVector(loaded(key).settling.current()),
    diff: async (key, sv) => Y.encodeStateAsUpdate(loaded(key).settling.current(), sv),
    flush: (key) => (key ? loaded(key).log.flush() : writer.flush()),
    pending: (key) => {
      if (!key) return writer.pending();
      return docs.get(docId(key))?.log.pending() ?? 0;
    },
    close(key) {
      const entry = docs.get(docId(key));
      if (!entry) return;
      docs.delete(docId(key));
      entry.log.close();
      entry.settling.destroy();
    },
    async collectGarbage() {
      globalThis.gc?.();
    },
    async dispose() {
      writer.dispose();
    }
  };
}
