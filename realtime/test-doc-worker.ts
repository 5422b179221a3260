/**
 * A document worker for the realtime tests: the in-memory store, plus ways to fail on purpose.
 * data: `{ exitOnAppend?: Int32Array }` ends the thread in the middle of its first append (the
 * counter, on shared memory, makes that happen once across restarts); `{ failStore: true }`
 * makes building the store fail, in every worker.
 */
import { isDocWorker, serveDocuments } from './doc-worker';
import { createMemoryDocStore } from './memory-store';

type Data = { exitOnAppend?: Int32Array; failStore?: boolean } | undefined;

if (isDocWorker()) {
  serveDocuments(async (raw) => {
    const data = raw as Data;
    if (data?.failStore) throw new Error('store unavailable');
    const store = createMemoryDocStore();
    const exits = data?.exitOnAppend;
    if (!exits) return { store };
    return {
      store: {
        load: (key) => store.load(key),
        append(batches) {
          if (Atomics.add(exits, 0, 1) === 0) process.exit(1);
          return store.append(batches);
        }
      }
    };
  });
}
