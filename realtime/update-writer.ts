import type { Logger } from './logger';
import { docId, type DocBatch, type DocKey, type DocStore, type NewUpdate } from './store';

export type UpdateWriterOptions = {
  store: DocStore;
  logger: Logger;
  /** Milliseconds an update may wait before it is written. */
  batchMs: number;
  /** Write a keyframe once this many updates of a document were stored since its last one. */
  snapshotEvery: number;
  /** Update bytes per transaction; a backlog is written in several. Default 4 MiB. */
  maxBatchBytes?: number;
  /** Milliseconds before a document whose write failed is tried again, doubling up to 30 s. */
  retryMs?: number;
  /** Told after each write how many of a document's oldest queued updates became durable. */
  onWritten?: (key: DocKey, count: number) => void;
};

/** One loaded document's view of the writer. */
export type DocLog = {
  /** `at`: when the server received it; default now. */
  push(update: Uint8Array, author: string, at?: Date): void;
  pending(): number;
  /** Resolves once every update of this document pushed before the call is durable. */
  flush(): Promise<void>;
  /** The document is going away: no more keyframes; updates still queued are still written. */
  close(): void;
};

export type UpdateWriter = {
  /**
   * Starts logging a loaded document. `sinceSnapshot` updates are stored after its latest
   * keyframe; `encodeState` gives its whole state, which must include every update pushed.
   */
  open(key: DocKey, doc: { sinceSnapshot: number; encodeState: () => Uint8Array }): DocLog;
  /** Resolves once every update pushed before the call is durable. */
  flush(): Promise<void>;
  pending(): number;
  /** Stops the timer; queued updates stay unwritten (call flush first). */
  dispose(): void;
};

const MAX_RETRY_MS = 30_000;

type Item = NewUpdate & { ticket: number };
type Entry = {
  key: DocKey;
  /** Pushed and not yet durable, oldest first: items leave only once written. */
  queue: Item[];
  sinceSnapshot: number;
  /** null once closed. */
  encodeState: (() => Uint8Array) | null;
  failures: number;
  retryAt: number;
  lastError: unknown;
};

/**
 * Appends the accepted updates of every loaded document to the store: all documents' pending
 * updates go out together, in one transaction per tick rather than one per document, because
 * hundreds of small commits a second cost more CPU than the editing they record. A document
 * whose write fails is retried on its own with backoff, so it cannot hold the others back.
 */
export function createUpdateWriter({
  store,
  logger,
  batchMs,
  snapshotEvery,
  maxBatchBytes = 4 * 1024 * 1024,
  retryMs = 1000,
  onWritten
}: UpdateWriterOptions): UpdateWriter {
  const entries = new Set<Entry>();
  let tickets = 0;
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Infinity;
  // Writes never overlap: an entry's items stay queued while written, and seqs follow push order.
  let chain: Promise<unknown> = Promise.resolve();

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task);
    chain = run.catch(() => undefined);
    return run;
  };

  const schedule = (delay: number): void => {
    const at = Date.now() + delay;
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = null;
      timerAt = Infinity;
      serial(() => write(false)).catch((error: unknown) => {
        // write() handles the store's failures; anything else is a bug, kept from crashing.
        logger.error({ err: error }, 'yjs update writer failed');
        // Later, not at once: the same fault would otherwise spin.
        if ([...entries].some((e) => e.queue.length > 0)) schedule(Math.max(batchMs, retryMs));
      });
    }, delay);
    timer.unref();
  };

  /**
   * After a round: what the byte budget left over goes at once, failed documents when due.
   * Updates pushed during the round already have their push's timer, so batching holds.
   */
  const reschedule = (roundTicket: number): void => {
    let next = Infinity;
    for (const entry of entries) {
      const head = entry.queue[0];
      if (!head) continue;
      if (entry.failures > 0) next = Math.min(next, entry.retryAt);
      else if (head.ticket <= roundTicket) next = 0;
    }
    if (next < Infinity) schedule(Math.max(0, next - Date.now()));
  };

  /** Appends a prefix of each entry's queue in one transaction; false if that failed. */
  const writeTogether = async (group: Entry[]): Promise<boolean> => {
    let budget = maxBatchBytes;
    const taken: Array<{ entry: Entry; count: number; keyframe: boolean }> = [];
    const batches: DocBatch[] = [];
    const ids = new Set<string>();
    for (const entry of group) {
      // A document reopened while its old entry still had updates queued: the old ones go first.
      const id = docId(entry.key);
      if (ids.has(id)) continue;
      ids.add(id);
      let count = 0;
      // At least one update per transaction, however large, or a big one would never go.
      while (count < entry.queue.length && (budget > 0 || batches.length + count === 0)) {
        budget -= entry.queue[count]!.update.byteLength;
        count += 1;
      }
      if (count === 0) break;
      // The state includes every pushed update, so it matches this batch only if all are in it.
      const due = count === entry.queue.length && entry.sinceSnapshot + count >= snapshotEvery;
      const keyframe = due ? entry.encodeState?.() : undefined;
      const updates = entry.queue.slice(0, count);
      batches.push({ key: entry.key, updates, ...(keyframe ? { keyframe } : {}) });
      taken.push({ entry, count, keyframe: keyframe !== undefined });
    }
    if (batches.length === 0) return true;
    try {
      await store.append(batches);
    } catch (error) {
      for (const { entry } of taken) entry.lastError = error;
      return false;
    }
    for (const { entry, count, keyframe } of taken) {
      entry.queue.splice(0, count);
      entry.sinceSnapshot = keyframe ? 0 : entry.sinceSnapshot + count;
      entry.failures = 0;
      entry.lastError = undefined;
      onWritten?.(entry.key, count);
      if (entry.queue.length === 0 && entry.encodeState === null) entries.delete(entry);
    }
    return true;
  };

  /** A group together; if that fails, each member alone, to find the one at fault. */
  const writeGroup = async (group: Entry[], failed: Entry[]): Promise<void> => {
    if (group.length === 0 || (await writeTogether(group))) return;
    if (group.length === 1) failed.push(group[0]!);
    else for (const entry of group) if (!(await writeTogether([entry]))) failed.push(entry);
  };

  /**
   * One round, oldest pending update first: healthy documents in one transaction, documents
   * that failed before in another once due (`force`: now), so a bad one cannot stall the rest.
   */
  const write = async (force: boolean): Promise<void> => {
    const roundTicket = tickets;
    const now = Date.now();
    const due = [...entries]
      .filter((e) => e.queue.length > 0 && (force || e.failures === 0 || e.retryAt <= now))
      .sort((a, b) => a.queue[0]!.ticket - b.queue[0]!.ticket);
    const failed: Entry[] = [];
    await writeGroup(
      due.filter((e) => e.failures === 0),
      failed
    );
    await writeGroup(
      due.filter((e) => e.failures > 0),
      failed
    );
    let longest = 0;
    for (const entry of failed) {
      entry.failures += 1;
      const delay = Math.min(retryMs * 2 ** (entry.failures - 1), MAX_RETRY_MS);
      entry.retryAt = Date.now() + delay;
      longest = Math.max(longest, delay);
    }
    if (failed[0]) {
      // One line a round: when the database is down every document fails at once.
      logger.error(
        {
          err: failed[0].lastError,
          docs: failed.length,
          first: docId(failed[0].key),
          pending: failed.reduce((sum, e) => sum + e.queue.length, 0),
          retryInMs: longest
        },
        'yjs update write failed; retrying'
      );
    }
    reschedule(roundTicket);
  };

  /** Writes until no queued item of `scope` has a ticket up to now's; rejects if one failed. */
  const flushScope = async (scope: () => Iterable<Entry>): Promise<void> => {
    const target = tickets;
    const waiting = (): Entry[] =>
      [...scope()].filter((e) => e.queue.length > 0 && e.queue[0]!.ticket <= target);
    for (let stuck = waiting(); stuck.length > 0; stuck = waiting()) {
      const before = new Map(stuck.map((e) => [e, e.failures]));
      await serial(() => write(true));
      const broken = stuck.find((e) => e.failures > (before.get(e) ?? 0));
      if (broken) {
        throw new Error(`could not write the updates of ${docId(broken.key)}`, {
          cause: broken.lastError
        });
      }
    }
  };

  return {
    open(key, doc) {
      const entry: Entry = {
        key,
        queue: [],
        sinceSnapshot: doc.sinceSnapshot,
        encodeState: doc.encodeState,
        failures: 0,
        retryAt: 0,
        lastError: undefined
      };
      entries.add(entry);
      return {
        push(update, author, at = new Date()) {
          tickets += 1;
          entry.queue.push({ update, author, at, ticket: tickets });
          if (entry.failures === 0) schedule(batchMs);
        },
        pending: () => entry.queue.length,
        flush: () => flushScope(() => [entry]),
        close() {
          entry.encodeState = null;
          if (entry.queue.length === 0) entries.delete(entry);
        }
      };
    },
    flush: () => flushScope(() => entries),
    pending: () => [...entries].reduce((sum, e) => sum + e.queue.length, 0),
    dispose() {
      if (timer) clearTimeout(timer);
      timer = null;
      timerAt = Infinity;
    }
  };
}
