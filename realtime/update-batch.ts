import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Accepted updates on their way to the document worker, packed as one byte string: cloning a
 * message costs per object and per string, far more than its bytes, so the worker is sent
 * `bytes` alone. They hold the batch's string tables (documents, authors), its start time, then
 * each update as [doc index][author index][ms after start][bytes]. `docs` and `counts` stay on
 * this side, for the retention's bookkeeping.
 */
export type PackedUpdates = {
  docs: string[];
  /** Updates in the batch, per document, in `docs` order. */
  counts: number[];
  bytes: Uint8Array;
};

export type BatchBuilder = {
  push(doc: string, update: Uint8Array, author: string, at: number): void;
  /** Updates pushed so far. */
  size(): number;
  finish(): PackedUpdates;
};

export function createBatchBuilder(start: number): BatchBuilder {
  const items = encoding.createEncoder();
  const docs = new Map<string, number>();
  const authors = new Map<string, number>();
  const counts: number[] = [];
  let size = 0;
  const index = (table: Map<string, number>, value: string): number => {
    let found = table.get(value);
    if (found === undefined) {
      found = table.size;
      table.set(value, found);
    }
    return found;
  };
  const writeTable = (encoder: encoding.Encoder, table: Map<string, number>): void => {
    encoding.writeVarUint(encoder, table.size);
    for (const value of table.keys()) encoding.writeVarString(encoder, value);
  };
  return {
    push(doc, update, author, at) {
      const d = index(docs, doc);
      counts[d] = (counts[d] ?? 0) + 1;
      encoding.writeVarUint(items, d);
      encoding.writeVarUint(items, index(authors, author));
      encoding.writeVarUint(items, Math.max(0, at - start));
      encoding.writeVarUint8Array(items, update);
      size += 1;
    },
    size: () => size,
    finish() {
      const head = encoding.createEncoder();
      writeTable(head, docs);
      writeTable(head, authors);
      encoding.writeVarUint(head, start);
      encoding.writeUint8Array(head, encoding.toUint8Array(items));
      return { docs: [...docs.keys()], counts, bytes: encoding.toUint8Array(head) };
    }
  };
}

/** Calls `visit` for each update of a batch's bytes, in the order they were pushed. */
export function readBatch(
  bytes: Uint8Array,
  visit: (doc: string, update: Uint8Array, author: string, at: number) => void
): void {
  const decoder = decoding.createDecoder(bytes);
  const readTable = (): string[] =>
    Array.from({ length: decoding.readVarUint(decoder) }, () => decoding.readVarString(decoder));
  const docs = readTable();
  const authors = readTable();
  const start = decoding.readVarUint(decoder);
  while (decoding.hasContent(decoder)) {
    const doc = docs[decoding.readVarUint(decoder)];
    const author = authors[decoding.readVarUint(decoder)];
    const at = start + decoding.readVarUint(decoder);
    const update = decoding.readVarUint8Array(decoder);
    if (doc === undefined || author === undefined) throw new Error('malformed update batch');
    visit(doc, update, author, at);
  }
}

/**
 * Batches sent to the worker and not yet written, kept whole: if the worker dies they are sent
 * to the next one. A batch is let go once every update in it is reported durable; documents'
 * updates are written in the order they were added, so a report of n for a document covers
 * its n oldest updates still counted here.
 */
export type Retention = {
  keep(batch: PackedUpdates): void;
  /** The worker wrote the `count` oldest kept updates of `doc`. */
  written(doc: string, count: number): void;
  /** Kept updates not yet durable, of `doc` or of all. */
  pending(doc?: string): number;
  /** Batches still kept, oldest first. */
  batches(): PackedUpdates[];
  /**
   * The kept batches are being sent again to a new worker, which will write (and report)
   * every update in them of `docs` and skip the others: counts start over accordingly.
   */
  rewind(docs: ReadonlySet<string>): void;
};

type Kept = { batch: PackedUpdates; left: number };

export function createRetention(): Retention {
  let kept = new Set<Kept>();
  /** Per document, the kept batches holding its updates and how many of them, oldest first. */
  const byDoc = new Map<string, Array<{ kept: Kept; count: number }>>();
  const pendingByDoc = new Map<string, number>();
  let total = 0;

  const count = (entry: Kept, only?: ReadonlySet<string>): void => {
    entry.batch.docs.forEach((doc, i) => {
      const n = entry.batch.counts[i] ?? 0;
      if (n === 0 || (only && !only.has(doc))) return;
      entry.left += n;
      let list = byDoc.get(doc);
      if (!list) byDoc.set(doc, (list = []));
      list.push({ kept: entry, count: n });
      pendingByDoc.set(doc, (pendingByDoc.get(doc) ?? 0) + n);
    });
    total += entry.left;
    if (entry.left > 0) kept.add(entry);
  };

  return {
    keep: (batch) => count({ batch, left: 0 }),
    written(doc, n) {
      const list = byDoc.get(doc);
      let left = n;
      while (list && list.length > 0 && left > 0) {
        const head = list[0]!;
        const take = Math.min(left, head.count);
        head.count -= take;
        head.kept.left -= take;
        left -= take;
        total -= take;
        pendingByDoc.set(doc, (pendingByDoc.get(doc) ?? 0) - take);
        if (head.count === 0) list.shift();
        if (head.kept.left === 0) kept.delete(head.kept);
      }
      if (list?.length === 0) {
        byDoc.delete(doc);
        pendingByDoc.delete(doc);
      }
    },
    pending: (doc) => (doc === undefined ? total : (pendingByDoc.get(doc) ?? 0)),
    batches: () => [...kept].map((k) => k.batch),
    rewind(docs) {
      const batches = [...kept].map((k) => k.batch);
      kept = new Set();
      byDoc.clear();
      pendingByDoc.clear();
      total = 0;
      for (const batch of batches) count({ batch, left: 0 }, docs);
    }
  };
}
