import { and, asc, desc, eq, gt } from 'drizzle-orm';
import { checkBatches, type DocStore, type LoadedDoc } from '../../../../realtime/store';
import type { Database } from '../db/client';
import { docSnapshots, docUpdates } from '../db/schema';
import { appendBatches } from './doc-append';

/** The realtime layer's document log, in PostgreSQL (doc_updates and doc_snapshots). */
export function createPgDocStore(db: Database): DocStore {
  return {
    async load(key): Promise<LoadedDoc> {
      const [snapshot] = await db
        .select({ seq: docSnapshots.seq, state: docSnapshots.state })
        .from(docSnapshots)
        .where(and(eq(docSnapshots.interviewId, key.interviewId), eq(docSnapshots.doc, key.doc)))
        .orderBy(desc(docSnapshots.seq))
        .limit(1);
      const updates = await db
        .select({ seq: docUpdates.seq, update: docUpdates.update })
        .from(docUpdates)
        .where(
          and(
            eq(docUpdates.interviewId, key.interviewId),
            eq(docUpdates.doc, key.doc),
            gt(docUpdates.seq, snapshot?.seq ?? 0)
          )
        )
        .orderBy(asc(docUpdates.seq));
      return { snapshot: snapshot ?? null, updates };
    },

    async append(batches) {
      checkBatches(batches);
      return batches.length === 0 ? [] : appendBatches(db.$client, batches);
    }
  };
}
