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

export interface DocStore {
  load(key: DocKey): Promise<LoadedDoc>;
  /** Appends updates in one transaction and returns the seq of the last one. Durable when it resolves. */
  append(key: DocKey, updates: NewUpdate[]): Promise<number>;
  /** Writes a keyframe: the document's whole state as of `seq`. */
  saveSnapshot(key: DocKey, seq: number, state: Uint8Array): Promise<void>;
}
