import type { DocKey, DocStore, LoadedDoc, NewUpdate } from './store';

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
  let nextSeq = 1;
  const entry = (key: DocKey): Entry => {
    const id = `${key.interviewId}\u0000${key.doc}`;
    let found = docs.get(id);
    if (!found) {
      found = { updates: [], snapshot: null };
      docs.set(id, found);
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
    async append(key, updates: NewUpdate[]) {
      const target = entry(key);
      let last = 0;
      for (const u of updates) {
        last = nextSeq++;
        target.updates.push({ seq: last, update: u.update.slice(), author: u.author, at: u.at });
      }
      return last;
    },
    async saveSnapshot(key, seq, state) {
      entry(key).snapshot = { seq, state: state.slice() };
    },
    updatesOf: (key) => entry(key).updates,
    snapshotOf: (key) => entry(key).snapshot
  };
}
