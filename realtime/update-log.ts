import type { Logger } from './logger';
import type { DocKey, DocStore, NewUpdate } from './store';

export type UpdateLogOptions = {
  store: DocStore;
  key: DocKey;
  logger: Logger;
  /** Milliseconds an update may wait before its batch is written. */
  batchMs: number;
  /** Write a keyframe once this many updates were appended since the last one. */
  snapshotEvery: number;
  /** Updates already stored after the latest keyframe. */
  sinceSnapshot: number;
  /** The document's whole state; called when a batch is taken, so it matches the batch's seq. */
  encodeState: () => Uint8Array;
};

export type UpdateLog = {
  push(update: Uint8Array, author: string): void;
  /** Resolves once every update pushed before the call is durable in the store. */
  flush(): Promise<void>;
  pending(): number;
  /** Cancels the timer; pending updates stay unflushed (call flush first). */
  dispose(): void;
};

/** Appends a document's accepted updates to the store in small batches, with keyframes. */
export function createUpdateLog(options: UpdateLogOptions): UpdateLog {
  const { store, key, logger, batchMs, snapshotEvery, encodeState } = options;
  let sinceSnapshot = options.sinceSnapshot;
  let queue: NewUpdate[] = [];
  let timer: NodeJS.Timeout | null = null;
  // Batches are written one after another so seqs follow the order Yjs applied them.
  let chain: Promise<void> = Promise.resolve();

  const schedule = (delay: number): void => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      flush().catch((error: unknown) => {
        // Kept in the queue by writeBatch; retry later rather than lose acknowledged edits.
        logger.error({ err: error, pending: queue.length }, 'yjs update flush failed; retrying');
        schedule(Math.max(batchMs, 1000));
      });
    }, delay);
    timer.unref();
  };

  const writeBatch = async (): Promise<void> => {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const state = sinceSnapshot + batch.length >= snapshotEvery ? encodeState() : null;
    let seq: number;
    try {
      seq = await store.append(key, batch);
    } catch (error) {
      queue = batch.concat(queue);
      throw error;
    }
    sinceSnapshot += batch.length;
    if (state) {
      try {
        await store.saveSnapshot(key, seq, state);
        sinceSnapshot = 0;
      } catch (error) {
        // The update log alone still rebuilds the document; the next batch retries the keyframe.
        logger.warn({ err: error, seq }, 'yjs snapshot failed');
      }
    }
  };

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const run = chain.then(writeBatch);
    chain = run.catch(() => undefined);
    return run;
  };

  return {
    push(update, author) {
      queue.push({ update, author, at: new Date() });
      schedule(batchMs);
    },
    flush,
    pending: () => queue.length,
    dispose() {
      if (timer) clearTimeout(timer);
      timer = null;
    }
  };
}
