import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { DocKey, DocStore, LoadedDoc, NewUpdate } from '../../../../realtime/store';
import type { Database } from '../db/client';
import { docSnapshots, docUpdates } from '../db/schema';

/** The realtime layer's document log, in PostgreSQL (doc_updates and doc_snapshots). */
export function createPgDocStore(db: Database): DocStore {
  const of = (key: DocKey) => ({
    updates: and(eq(docUpdates.interviewId, key.interviewId), eq(docUpdates.doc, key.doc)),
    snapshots: and(eq(docSnapshots.interviewId, key.interviewId), eq(docSnapshots.doc, key.doc))
  });

  return {
    async load(key): Promise<LoadedDoc> {
      const where = of(key);
      const [snapshot] = await db
        .select({ seq: docSnapshots.seq, state: docSnapshots.state })
        .from(docSnapshots)
        .where(where.snapshots)
        .orderBy(desc(docSnapshots.seq))
        .limit(1);
      const updates = await db
        .select({ seq: docUpdates.seq, update: docUpdates.update })
        .from(docUpdates)
        .where(and(where.updates, gt(docUpdates.seq, snapshot?.seq ?? 0)))
        .orderBy(asc(docUpdates.seq));
      return { snapshot: snapshot ?? null, updates };
    },

    async append(key, updates: NewUpdate[]): Promise<number> {
      if (updates.length === 0) {
        const [row] = await db
          .select({ last: sql<number>`coalesce(max(${docUpdates.seq}), 0)::int` })
          .from(docUpdates)
          .where(of(key).updates);
        return row?.last ?? 0;
      }
      return db.transaction(async (tx) => {
        // One writer per document at a time, across app nodes: seqs stay gapless and ordered.
        await tx.execute(
          sql`SELECT pg_advisory_xact_lock(hashtextextended(${key.interviewId + '/' + key.doc}, 0))`
        );
        const [row] = await tx
          .select({ last: sql<number>`coalesce(max(${docUpdates.seq}), 0)::int` })
          .from(docUpdates)
          .where(of(key).updates);
        const first = (row?.last ?? 0) + 1;
        await tx.insert(docUpdates).values(
          updates.map((u, i) => ({
            interviewId: key.interviewId,
            doc: key.doc,
            seq: first + i,
            author: u.author,
            update: u.update,
            createdAt: u.at
          }))
        );
        return first + updates.length - 1;
      });
    },

    async saveSnapshot(key, seq, state) {
      await db
        .insert(docSnapshots)
        .values({ interviewId: key.interviewId, doc: key.doc, seq, state })
        .onConflictDoNothing();
    }
  };
}
