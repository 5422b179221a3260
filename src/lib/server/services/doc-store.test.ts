/**
 * The PostgreSQL document log against a real database: what is appended
 * loads back in order, snapshots cut the log's head, and concurrent writers
 * get gapless sequence numbers.
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
  const [interview] = await db
    .insert(interviews)
    .values({ organizationId: org!.id, candidateId: candidate!.id, kind: 'live', title: 'Docs' })
    .returning();
  interviewId = interview!.id;
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
    const last = await store.append(
      key,
      updates.map((update) => ({ update, author: 'cand-1', at }))
    );
    expect(last).toBe(5);
    const loaded = await store.load(key);
    expect(loaded.snapshot).toBeNull();
    expect(loaded.updates.map((u) => u.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(Buffer.from(loaded.updates[2]!.update)).toEqual(Buffer.from(updates[2]!));
    expect(rebuild(loaded)).toBe('0;1;2;3;4;');
  });

  it('loads from the latest snapshot plus the updates after it', async () => {
    const store = createPgDocStore(db);
    const key = { interviewId, doc: 'snap' };
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 4; i++) source.getText('code').insert(0, 'x');
    await store.append(
      key,
      updates.map((update) => ({ update, author: 'a', at: new Date() }))
    );
    await store.saveSnapshot(key, 4, Y.encodeStateAsUpdate(source));
    updates.length = 0;
    source.getText('code').insert(0, 'y');
    await store.append(key, [{ update: updates[0]!, author: 'a', at: new Date() }]);

    const loaded = await store.load(key);
    expect(loaded.snapshot?.seq).toBe(4);
    expect(loaded.updates.map((u) => u.seq)).toEqual([5]);
    expect(rebuild(loaded)).toBe('yxxxx');
  });

  it('gives concurrent writers gapless, distinct sequence numbers', async () => {
    const store = createPgDocStore(db);
    const key = { interviewId, doc: 'race' };
    const batches = Array.from({ length: 8 }, () => edits(3));
    await Promise.all(
      batches.map((batch, i) =>
        store.append(
          key,
          batch.map((update) => ({ update, author: `writer-${i}`, at: new Date() }))
        )
      )
    );
    const loaded = await store.load(key);
    expect(loaded.updates.map((u) => u.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('keeps documents apart', async () => {
    const store = createPgDocStore(db);
    expect((await store.load({ interviewId, doc: 'never-written' })).updates).toEqual([]);
    expect(await store.append({ interviewId, doc: 'never-written' }, [])).toBe(0);
  });
});
