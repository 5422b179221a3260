import * as Y from 'yjs';
import type { Logger } from './logger';

/** Updates applied together, on average: what waits is bounded, the saving kept. */
export const SETTLE_BATCH = 64;

/**
 * Each batch's size is drawn around SETTLE_BATCH: rooms that started together would otherwise
 * all settle in the same instant, over and over, and stall everyone's edits for that long.
 */
const nextBatch = (): number => Math.round(SETTLE_BATCH * (0.5 + Math.random()));

/**
 * The server's copy of a document, fed with accepted updates that are applied together, in
 * one transaction, when the state is read or about SETTLE_BATCH are waiting. A Yjs transaction per
 * keystroke was most of the server's garbage; the others already have each edit (the room
 * relays it as received), so nothing waits on the server applying it. Every read goes through
 * `current()`, which applies what waits first.
 */
export type SettlingDoc = {
  /** Queues an update that parsed as a Yjs update. */
  add(update: Uint8Array): void;
  /** The document with every added update applied. */
  current(): Y.Doc;
  /** Updates added and not yet applied. */
  waiting(): number;
  destroy(): void;
};

export function createSettlingDoc({ logger }: { logger: Logger }): SettlingDoc {
  const doc = new Y.Doc({ gc: true });
  let waiting: Uint8Array[] = [];
  let batch = nextBatch();

  const settle = (): void => {
    if (waiting.length === 0) return;
    const updates = waiting;
    waiting = [];
    batch = nextBatch();
    // Nested applies join the outer transaction (y-indexeddb loads its log the same way).
    doc.transact(() => {
      for (const update of updates) {
        try {
          Y.applyUpdate(doc, update);
        } catch (error) {
          // It parsed when it arrived, so this is Yjs refusing its content: keep the rest.
          logger.error({ err: error, bytes: update.length }, 'yjs update could not be applied');
        }
      }
    });
  };

  return {
    add(update) {
      waiting.push(update);
      if (waiting.length >= batch) settle();
    },
    current() {
      settle();
      return doc;
    },
    waiting: () => waiting.length,
    destroy() {
      waiting = [];
      doc.destroy();
    }
  };
}
