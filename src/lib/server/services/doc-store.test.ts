/**
 * The PostgreSQL document log against a real database: what is appended
 * loads back in order, keyframes cut the log's head, one append writes
 * several documents or none, and concurrent writers get gapless sequence
 * numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTestDatabase, type TestDatabase } from '../../../../tests/helpers/db';
import { createDatabase, type Database } from '../db/client';
import { runMigrations } from '../db/migrate';
import { candidates, interviews, organizations } from '../db/schema';
import { createPgDocStore } from './doc-store';

let testDb: TestDatabase;
let db: Database;
let interviewId: string;
let otherInterviewId: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.url, { max: 4 });
  // Dropping the database ends connections that are still closing: not a failure.
  db.$client.on('error', () => undefined);
  await runMigrations(db);
  const [org] = await db.insert(organizations).values({ name: 'Docs' }).returning();
  const [candidate] = await db
    .insert(candidates)
    .values({ organizationId: org!.id, name: 'Cand', email: 'cand@example.com' })
    .returning();
  const [interview, other] = await db
    .insert(interviews)
    .values([
      { organizationId: org!.id, candidateId: candidate!.id, kind: 'live', title: 'Docs' },
      { organizationId: org!.id, candidateId: candidate!.id, kind: 'live', title: 'Other' }
    ])
    .returning();
  interviewId = interview!.id;
  otherInterviewId = other!.id;
});

afterAll(async () => {
  await db?.$client.end();
  await testDb?.drop();
});

/** Real Yjs updates: each call types some text into a fresh client. */
function edits(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) doc.getText('code').insert(doc.getText('code').length, `${i};`);
  return updates;
}

function rebuild(loaded: Awaited<ReturnType<ReturnType<typeof createPgDocStore>['load']>>): string {
  const doc = new Y.Doc();
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot.state);
  for (const { update } of loaded.updates) Y.applyUpdate(doc, update);
  return doc.getText('code').toString();
}

describe('PostgreSQL document store', () => {
  it('loads back what was appended, in order, with authors and times kept', async () => {
    const store = createPgDocStore(db);
    const key = { interviewId, doc: 'code' };
    const updates = edits(5);
    const at = new Date('2026-11-22T10:00:00Z');
    const last = await store.append([
      { key, updates: updates.map((update) => ({ update, author: 'cand-1', at })) }
    ]);
    expect(last).toEqual([5]);
    const loaded = await store.load(key);
    expect(loaded.snapshot).toBeNull();
    expect(loaded.updates.map((u) => u.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(Buffer.from(loaded.updates[2]!.update)).toEqual(Buffer.from(updates[2]!));
    expect(rebuild(loaded)).toBe('0;1;2;3;4;');
    const rows = await db.$client.query<{ author: string; created_at: Date }>(
      `SELECT author, created_at FROM doc_updates WHERE interview_id = $1 AND doc = 'code'`,
      [interviewId]
    );
    expect(rows.rows.map((r) => [r.author, r.created_at.toISOString()])).toEqual(
      Array.from({ length: 5 }, () => ['cand-1', at.toISOString()])
    );
  });

  it('loads from the latest keyframe plus the updates after it', async () => {
    const store = createPgDocStore(db);
    const key = { interviewId, doc: 'snap' };
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 4; i++) source.getText('code').insert(0, 'x');
    await store.append([
      {
        key,
        updates: updates.map((update) => ({ update, author: 'a', at: new Date() })),
        keyframe: Y.encodeStateAsUpdate(source)
      }
    ]);
    updates.length = 0;
    source.getText('code').insert(0, 'y');
    await store.append([{ key, updates: [{ update: updates[0]!, author: 'a', at: new Date() }] }]);

    const loaded = await store.load(key);
    expect(loaded.snapshot?.seq).toBe(4);
    expect(loaded.updates.map((u) => u.seq)).toEqual([5]);
    expect(rebuild(loaded)).toBe('yxxxx');
  });

  it('writes several documents in one append, each numbered after its own last seq', async () => {
    const store = createPgDocStore(db);
    const a = { interviewId, doc: 'multi-a' };
    const b = { interviewId, doc: 'multi-b' };
    const c = { interviewId: otherInterviewId, doc: 'multi-a' };
    const at = new Date();
    const as = (updates: Uint8Array[], author: string) =>
      updates.map((update) => ({ update, author, at }));
    await store.append([{ key: a, updates: as(edits(2), 'first') }]);
    const source = new Y.Doc();
    const bUpdates: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => bUpdates.push(update));
    for (let i = 0; i < 3; i++) source.getText('code').insert(0, 'b');

    const last = await store.append([
      { key: b, updates: as(bUpdates, 'second'), keyframe: Y.encodeStateAsUpdate(source) },
      { key: a, updates: as(edits(3), 'third') },
      { key: c, updates: as(edits(1), 'fourth') }
    ]);

    expect(last).toEqual([3, 5, 1]);
    expect((await store.load(a)).updates.map((u) => u.seq)).toEqual([1, 2, 3, 4, 5]);
    // Two clients typed concurrently into a: Yjs orders their runs by client id.
    expect([...rebuild(await store.load(a))].sort().join('')).toBe('00112;;;;;');
    const loadedB = await store.load(b);
    expect(loadedB.snapshot?.seq).toBe(3);
    expect(loadedB.updates).toEqual([]);
    expect(rebuild(loadedB)).toBe('bbb');
    expect(rebuild(await store.load(c))).toBe('0;');
  });

  it('writes nothing of an append when one of its documents is refused', async () => {
    const store = createPgDocStore(db);
    const good = { interviewId, doc: 'atomic' };
    // No such interview: the foreign key refuses this document's rows.
    const orphan = { interviewId: '00000000-0000-4000-8000-000000000000', doc: 'atomic' };
    const at = new Date();
    await expect(
      store.append([
        { key: good, updates: edits(2).map((update) => ({ update, author: 'a', at })) },
        { key: orphan, updates: edits(1).map((update) => ({ update, author: 'a', at })) }
      ])
    ).rejects.toThrow();
    expect((await store.load(good)).updates).toEqual([]);
  });

  it('refuses an empty batch and two batches for one document', async () => {
    const store = createPgDocStore(db);
    const key = { interviewId, doc: 'refused' };
    const one = () => edits(1).map((update) => ({ update, author: 'a', at: new Date() }));
    await expect(store.append([{ key, updates: [] }])).rejects.toThrow(/empty batch/);
    await expect(
      store.append([
        { key, updates: one() },
        { key, updates: one() }
      ])
    ).rejects.toThrow(/two batches/);
    expect((await store.load(key)).updates).toEqual([]);
  });

  it('gives concurrent writers gapless, distinct sequence numbers', async () => {
    const store = createPgDocStore(db);
    const key = { interviewId, doc: 'race' };
    const other = { interviewId, doc: 'race-other' };
    const batches = Array.from({ length: 8 }, () => edits(3));
    await Promise.all(
      batches.map((batch, i) =>
        store.append([
          // Half the writers take the two documents' locks in the other order.
          ...(i % 2 === 0 ? [] : [{ key: other, updates: edits(1).map(by(i)) }]),
          { key, updates: batch.map(by(i)) },
          ...(i % 2 === 0 ? [{ key: other, updates: edits(1).map(by(i)) }] : [])
        ])
      )
    );
    const loaded = await store.load(key);
    expect(loaded.updates.map((u) => u.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect((await store.load(other)).updates.map((u) => u.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps documents apart', async () => {
    const store = createPgDocStore(db);
    expect((await store.load({ interviewId, doc: 'never-written' })).updates).toEqual([]);
    expect(await store.append([])).toEqual([]);
  });
});

const by = (i: number) => (update: Uint8Array) => ({
  update,
  author: `writer-${i}`,
  at: new Date()
});
