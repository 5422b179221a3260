import type pg from 'pg';
import { docId, type DocBatch } from '../../../../realtime/store';

/**
 * The document log's write path, on the pool directly: the Yjs server calls it every tick with
 * every document's new updates, so its statement is prepared once per connection (named) and
 * its parameters are one binary blob and JSON, because building the query and pg's text encoding
 * of bytea and timestamp arrays were most of a tick's work and garbage.
 */

/**
 * One call of the tandem_doc_log_append function (migration 0006): the lock, the numbered
 * insert and the keyframes in one statement, so a tick costs one round trip and one commit.
 */
const APPEND = {
  name: 'tandem_doc_log_append',
  text: 'SELECT tandem_doc_log_append($1::json, $2::json, $3::bytea, $4::json, $5::bytea) AS lasts'
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
    k: docId(batch.key),
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
  const framed = batches.flatMap((batch, b) =>
    batch.keyframe ? [{ b: b + 1, key: batch.key, state: batch.keyframe }] : []
  );
  const states = pack(framed.map((f) => f.state));
  const frames = framed.map((f, i) => ({
    b: f.b,
    i: f.key.interviewId,
    d: f.key.doc,
    o: states.offsets[i],
    l: f.state.byteLength
  }));

  // A single statement commits on its own: nothing to roll back when it fails.
  const { rows } = await pool.query<{ lasts: number[] }>({
    ...APPEND,
    values: [
      JSON.stringify(keys),
      JSON.stringify(items),
      bytes,
      JSON.stringify(frames),
      states.bytes
    ]
  });
  return rows[0]?.lasts ?? [];
}
