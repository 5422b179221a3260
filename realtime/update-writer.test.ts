/**
 * The shared update writer on the in-memory store: documents are written together, keyframes
 * match their seq, a document the store refuses is isolated and retried, a backlog goes in
 * several transactions, and nothing pushed is lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMemoryDocStore, type MemoryDocStore } from './memory-store';
import type { DocBatch, DocKey } from './store';
import { createMemoryLogger, waitFor } from './test-harness';
import { createUpdateWriter, type UpdateWriter, type UpdateWriterOptions } from './update-writer';

const A: DocKey = { interviewId: 'iv1', doc: 'code' };
const B: DocKey = { interviewId: 'iv2', doc: 'code' };
const C: DocKey = { interviewId: 'iv3', doc: 'notes' };

/** The memory store, recording each append's documents and refusing any append that has `refuse`. */
function recordingStore(memory: MemoryDocStore = createMemoryDocStore()) {
  const appends: DocKey[][] = [];
  const refused = new Set<string>();
  const id = (key: DocKey) => `${key.interviewId}/${key.doc}`;
  return {
    memory,
    appends,
    refuse: (key: DocKey) => refused.add(id(key)),
    accept: (key: DocKey) => refused.delete(id(key)),
    store: {
      load: memory.load,
      async append(batches: DocBatch[]) {
        appends.push(batches.map((b) => b.key));
        if (batches.some((b) => refused.has(id(b.key)))) throw new Error('refused by the test');
        return memory.append(batches);
      }
    }
  };
}

/** A document that pushes its own updates into the writer, as a room does. */
function editedDoc(writer: UpdateWriter, key: DocKey, sinceSnapshot = 0) {
  const doc = new Y.Doc();
  const log = writer.open(key, { sinceSnapshot, encodeState: () => Y.encodeStateAsUpdate(doc) });
  doc.on('update', (update: Uint8Array) => log.push(update, 'author-' + key.interviewId));
  const type = (text: string) => {
    for (const ch of text) doc.getText('code').insert(doc.getText('code').length, ch);
  };
  return { doc, log, type };
}

function textOf(memory: MemoryDocStore, key: DocKey, fromSnapshot = false): string {
  const doc = new Y.Doc();
  const snapshot = memory.snapshotOf(key);
  if (fromSnapshot) {
    if (snapshot) Y.applyUpdate(doc, snapshot.state);
  } else {
    for (const { update } of memory.updatesOf(key)) Y.applyUpdate(doc, update);
  }
  return doc.getText('code').toString();
}

const writers: UpdateWriter[] = [];
function start(options: Partial<UpdateWriterOptions> & Pick<UpdateWriterOptions, 'store'>) {
  const logger = createMemoryLogger();
  const writer = createUpdateWriter({ logger, batchMs: 5, snapshotEvery: 1000, ...options });
  writers.push(writer);
  return { writer, logger };
}
afterEach(() => {
  for (const writer of writers.splice(0)) writer.dispose();
});

describe('update writer', () => {
  it('writes the pending updates of every document in one append', async () => {
    const s = recordingStore();
    const { writer } = start({ store: s.store, batchMs: 20 });
    const docs = [A, B, C].map((key) => editedDoc(writer, key));
    for (const d of docs) d.type('hello');
    expect(writer.pending()).toBe(15);

    await writer.flush();
    expect(s.appends).toHaveLength(1);
    expect(s.appends[0]).toEqual([A, B, C]);
    for (const key of [A, B, C]) {
      expect(textOf(s.memory, key)).toBe('hello');
      expect(s.memory.updatesOf(key).map((u) => u.seq)).toEqual([1, 2, 3, 4, 5]);
    }
    expect(writer.pending()).toBe(0);
  });

  it('writes on its own timer, without a flush', async () => {
    const s = recordingStore();
    const { writer } = start({ store: s.store });
    editedDoc(writer, A).type('tick');
    editedDoc(writer, B).type('tock');
    await waitFor(() => writer.pending() === 0, 'timer write');
    expect(s.appends).toEqual([[A, B]]);
    expect(textOf(s.memory, B)).toBe('tock');
  });

  it('stores a keyframe with the batch that reaches snapshotEvery, matching its last seq', async () => {
    const s = recordingStore();
    const { writer } = start({ store: s.store, snapshotEvery: 4 });
    const a = editedDoc(writer, A, 1);
    a.type('abc');
    await writer.flush();
    const first = s.memory.snapshotOf(A);
    expect(first?.seq).toBe(3);
    expect(textOf(s.memory, A, true)).toBe('abc');

    a.type('defg');
    await writer.flush();
    expect(s.memory.snapshotOf(A)?.seq).toBe(7);
    expect(textOf(s.memory, A, true)).toBe('abcdefg');
  });

  it('isolates a document the store refuses: the others are written, it is retried', async () => {
    const s = recordingStore();
    const { writer, logger } = start({ store: s.store, retryMs: 10 });
    s.refuse(B);
    const a = editedDoc(writer, A);
    const b = editedDoc(writer, B);
    const c = editedDoc(writer, C);
    a.type('one');
    b.type('two');
    c.type('six');

    await expect(b.log.flush()).rejects.toThrow(/iv2\/code/);
    await a.log.flush();
    await c.log.flush();
    expect(textOf(s.memory, A)).toBe('one');
    expect(textOf(s.memory, C)).toBe('six');
    expect(s.memory.updatesOf(B)).toEqual([]);
    expect(b.log.pending()).toBe(3);
    const errors = logger.entries.filter((e) => e.level === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.obj).toMatchObject({ docs: 1, first: 'iv2/code', pending: 3 });

    // The healthy documents go on being written together while B waits for its retry.
    const seen = s.appends.length;
    a.type('!');
    c.type('!');
    await waitFor(() => a.log.pending() === 0 && c.log.pending() === 0, 'healthy writes');
    expect(s.appends.slice(seen)).toContainEqual([A, C]);
    expect(s.appends.slice(seen)).not.toContainEqual([A, B, C]);

    b.type('+');
    s.accept(B);
    await waitFor(() => b.log.pending() === 0, 'retried write');
    expect(textOf(s.memory, B)).toBe('two+');
    expect(s.memory.updatesOf(B).map((u) => u.seq)).toEqual([1, 2, 3, 4]);
    await writer.flush();
  });

  it('rejects a flush while a document cannot be written, and resolves once it can', async () => {
    const s = recordingStore();
    const { writer } = start({ store: s.store, retryMs: 60_000 });
    s.refuse(A);
    editedDoc(writer, A).type('kept');
    await expect(writer.flush()).rejects.toThrow(/could not write the updates of iv1\/code/);
    expect(writer.pending()).toBe(4);
    s.accept(A);
    // A flush does not wait for the backoff.
    await writer.flush();
    expect(textOf(s.memory, A)).toBe('kept');
  });

  it('writes a backlog larger than a transaction in several, in order', async () => {
    const s = recordingStore();
    const { writer } = start({ store: s.store, maxBatchBytes: 200, batchMs: 1000 });
    const a = editedDoc(writer, A);
    const b = editedDoc(writer, B);
    a.type('a'.repeat(40));
    b.type('b'.repeat(40));
    await writer.flush();
    expect(s.appends.length).toBeGreaterThan(2);
    expect(textOf(s.memory, A)).toBe('a'.repeat(40));
    expect(textOf(s.memory, B)).toBe('b'.repeat(40));
    expect(s.memory.updatesOf(A).map((u) => u.seq)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1)
    );
  });

  it('writes an update larger than the byte budget on its own', async () => {
    const s = recordingStore();
    const { writer } = start({ store: s.store, maxBatchBytes: 10 });
    const a = editedDoc(writer, A);
    a.doc.getText('code').insert(0, 'x'.repeat(500));
    await writer.flush();
    expect(textOf(s.memory, A)).toBe('x'.repeat(500));
  });

  it('keeps updates pushed during a slow append for the next one', async () => {
    const memory = createMemoryDocStore();
    let release = (): void => undefined;
    let gate: Promise<void> | null = new Promise<void>((resolve) => {
      release = resolve;
    });
    let appends = 0;
    const { writer } = start({
      store: {
        load: memory.load,
        async append(batches) {
          appends += 1;
          if (gate) await gate;
          return memory.append(batches);
        }
      }
    });
    const a = editedDoc(writer, A);
    a.type('first ');
    const flushed = writer.flush();
    await waitFor(() => appends === 1, 'append started');
    a.type('second');
    gate = null;
    release();
    await flushed;
    await writer.flush();
    expect(textOf(memory, A)).toBe('first second');
    expect(memory.updatesOf(A).map((u) => u.seq)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1)
    );
  });

  it('writes a reopened document’s old queue before its new one, never both in one append', async () => {
    const s = recordingStore();
    const { writer } = start({ store: s.store, batchMs: 1000 });
    const before = editedDoc(writer, A);
    before.type('old');
    before.log.close();
    const after = editedDoc(writer, A);
    // The reopened copy starts from what the old one had, as a reload from the store would.
    Y.applyUpdate(after.doc, Y.encodeStateAsUpdate(before.doc));
    after.type('new');
    await writer.flush();
    expect(s.appends.every((keys) => keys.length === 1)).toBe(true);
    expect(s.memory.updatesOf(A).map((u) => u.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(textOf(s.memory, A)).toBe('oldnew');
  });

  it('still writes what a closed document had queued, without a keyframe', async () => {
    const s = recordingStore();
    const { writer } = start({ store: s.store, snapshotEvery: 1, batchMs: 1000 });
    const a = editedDoc(writer, A);
    a.type('bye');
    a.log.close();
    a.doc.destroy();
    await writer.flush();
    expect(textOf(s.memory, A)).toBe('bye');
    expect(s.memory.snapshotOf(A)).toBeNull();
    expect(writer.pending()).toBe(0);
  });
});
