import type pg from 'pg';
import { docId, type DocBatch } from '../../../../realtime/store';

/**
 * The document log's write path, on the pool directly: the Yjs server calls it every tick with
 * every document's new updates, so its statements are prepared once per connection (named) and
 * its parameters are one binary blob and JSON, because building the query and pg's text encoding
 * of bytea and timestamp arrays were most of the work and the garbage a tick made on the event
 * loop that relays edits.
 */

/** One writer per document at a time, across app nodes; one fixed order, so no deadlock. */
const LOCK = {
  name: 'tandem_doc_log_lock',
  text: `SELECT pg_advisory_xact_lock(h)
         FROM (SELECT DISTINCT hashtextextended(k, 0) AS h
               FROM json_array_elements_text($1::json) AS k) AS keys
         ORDER BY h`
};

/**
 * Each batch's updates after its document's last seq (found through the (interview, doc, seq)
 * index, never by scanning the log), numbered in the order given; answers each batch's last seq
 * in one JSON array (one row to parse, not one per document). $1: [{b, i: interview, d: doc}]; $2: [{b, o: offset, l: length, t: ms, a: author}]; $3: the
 * updates, end to end.
 */
const INSERT = {
  name: 'tandem_doc_log_append',
  text: `
    WITH batch AS (
      SELECT * FROM json_to_recordset($1::json) AS t(b int, i uuid, d text)
    ), base AS (
      SELECT batch.b, batch.i, batch.d, coalesce(l.seq, 0) AS last
      FROM batch LEFT JOIN LATERAL (
        SELECT u.seq FROM doc_updates u
        WHERE u.interview_id = batch.i AND u.doc = batch.d
        ORDER BY u.seq DESC LIMIT 1
      ) l ON true
    ), item AS (
      SELECT * FROM json_to_recordset($2::json) AS t(b int, o int, l int, t bigint, a text)
    ), numbered AS (
      SELECT base.b, base.i, base.d, item.a,
             substring($3::bytea FROM item.o FOR item.l) AS bytes,
             to_timestamp(item.t / 1000.0) AS at,
             base.last + row_number() OVER (PARTITION BY item.b ORDER BY item.o) AS seq
      FROM item JOIN base ON base.b = item.b
    ), inserted AS (
      INSERT INTO doc_updates (interview_id, doc, seq, author, "update", created_at)
      SELECT i, d, seq, a, bytes, at FROM numbered
    )
    SELECT coalesce(json_agg(last ORDER BY b), '[]') AS lasts
    FROM (SELECT b, max(seq) AS last FROM numbered GROUP BY b) AS per_batch`
};

/** $1: [{i, d, s: seq, o, l}] cutting $2 as INSERT does. */
const KEYFRAMES = {
  name: 'tandem_doc_log_keyframes',
  text: `
    INSERT INTO doc_snapshots (interview_id, doc, seq, state)
    SELECT f.i, f.d, f.s, substring($2::bytea FROM f.o FOR f.l)
    FROM json_to_recordset($1::json) AS f(i uuid, d text, s int, o int, l int)
    ON CONFLICT DO NOTHING`
};

/** Blobs end to end, and where each starts (1-based, as SQL's substring counts). */
function pack(blobs: Uint8Array[]): { bytes: Buffer; offsets: number[] } {
  const offsets: number[] = [];
  let offset = 1;
  for (const blob of blobs) {
    offsets.push(offset);
    offset += blob.byteLength;
  }
  return { bytes: Buffer.concat(blobs), offsets };
}

/** Writes checked batches in one transaction; resolves with each batch's last seq. */
export async function appendBatches(pool: pg.Pool, batches: DocBatch[]): Promise<number[]> {
  const keys = batches.map((batch, b) => ({
    b: b + 1,
    i: batch.key.interviewId,
    d: batch.key.doc
  }));
  const updates = batches.flatMap((batch) => batch.updates);
  const { bytes, offsets } = pack(updates.map((u) => u.update));
  const items: Array<{ b: number; o: number; l: number; t: number; a: string }> = [];
  let n = 0;
  batches.forEach((batch, b) => {
    for (const { update, author, at } of batch.updates) {
      items.push({ b: b + 1, o: offsets[n++]!, l: update.byteLength, t: at.getTime(), a: author });
    }
  });

  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query({ ...LOCK, values: [JSON.stringify(batches.map((b) => docId(b.key)))] });
    const { rows } = await client.query<{ lasts: number[] }>({
      ...INSERT,
      values: [JSON.stringify(keys), JSON.stringify(items), bytes]
    });
    const last = rows[0]?.lasts ?? [];
    const frames = batches.flatMap((batch, n) =>
      batch.keyframe ? [{ batch, seq: last[n]!, state: batch.keyframe }] : []
    );
    if (frames.length > 0) {
      const packed = pack(frames.map((f) => f.state));
      const rows = frames.map((f, n) => ({
        i: f.batch.key.interviewId,
        d: f.batch.key.doc,
        s: f.seq,
        o: packed.offsets[n],
        l: f.state.byteLength
      }));
      await client.query({ ...KEYFRAMES, values: [JSON.stringify(rows), packed.bytes] });
    }
    await client.query('COMMIT');
    return last;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      // The connection itself is gone: the pool must not hand it out again.
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
