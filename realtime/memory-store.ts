import { checkBatches, docId, type DocKey, type DocStore, type LoadedDoc } from './store';

type Entry = {
  updates: Array<{ seq: number; update: Uint8Array; author: string; at: Date }>;
  snapshot: { seq: number; state: Uint8Array } | null;
};

export type MemoryDocStore = DocStore & {
  /** Every appended update of a document, for assertions. */
  updatesOf(key: DocKey): ReadonlyArray<{ seq: number; update: Uint8Array; author: string }>;
  snapshotOf(key: DocKey): { seq: number; state: Uint8Array } | null;
};

/** A DocStore in memory, for tests; the app uses PostgreSQL. */
export function createMemoryDocStore(): MemoryDocStore {
  const docs = new Map<string, Entry>();
  const entry = (key: DocKey): Entry => {
    let found = docs.get(docId(key));
    if (!found) {
      found = { updates: [], snapshot: null };
      docs.set(docId(key), found);
    }
    return found;
  };

  return {
    async load(key): Promise<LoadedDoc> {
      const { updates, snapshot } = entry(key);
      const after = snapshot?.seq ?? 0;
      return {
        snapshot: snapshot && { seq: snapshot.seq, state: snapshot.state.slice() },
        updates: updates
          .filter((u) => u.seq > after)
          .map((u) => ({ seq: u.seq, update: u.update.slice() }))
      };
    },
    async append(batches) {
      checkBatches(batches);
      return batches.map(({ key, updates, keyframe }) => {
        const target = entry(key);
        let last = target.updates.at(-1)?.seq ?? target.snapshot?.seq ?? 0;
        for (const u of updates) {
          last += 1;
          target.updates.push({ seq: last, update: u.update.slice(), author: u.author, at: u.at });
        }
        if (keyframe) target.snapshot = { seq: last, state: keyframe.slice() };
        return last;
      });
    },
    updatesOf: (key) => entry(key).updates,
    snapshotOf: (key) => entry(key).snapshot
  };
}
