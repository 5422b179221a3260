/** Where a collaborative document lives between processes: the app supplies PostgreSQL. */
export type DocKey = { interviewId: string; doc: string };

export type StoredUpdate = { seq: number; update: Uint8Array };

export type LoadedDoc = {
  /** The latest keyframe (a full Yjs state), or null before the first one. */
  snapshot: { seq: number; state: Uint8Array } | null;
  /** Every update after the snapshot, in seq order. */
  updates: StoredUpdate[];
};

export type NewUpdate = { update: Uint8Array; author: string; at: Date };

/** One document's share of an append. */
export type DocBatch = {
  key: DocKey;
  /** At least one, in the order Yjs applied them. */
  updates: NewUpdate[];
  /** The document's whole state after these updates: stored as a keyframe at the last one's seq. */
  keyframe?: Uint8Array;
};

export interface DocStore {
  load(key: DocKey): Promise<LoadedDoc>;
  /**
   * Appends every batch in one transaction (at most one batch per document): each document's
   * updates take the next seqs after its last one, in order. Resolves with each batch's last seq,
   * in the order given, once all of it is durable; when it rejects, nothing was written.
   */
  append(batches: DocBatch[]): Promise<number[]>;
}

export const docId = (key: DocKey): string => `${key.interviewId}/${key.doc}`;

/** Refuses what no store can write: an empty batch, or two batches for one document. */
export function checkBatches(batches: DocBatch[]): void {
  const seen = new Set<string>();
  for (const batch of batches) {
    const id = docId(batch.key);
    if (batch.updates.length === 0) throw new Error(`empty batch for ${id}`);
    if (seen.has(id)) throw new Error(`two batches for ${id} in one append`);
    seen.add(id);
  }
}
