-- The document log's write path in one statement, so one round trip and one commit a tick.
-- p_batches: [{b, k: lock key, i: interview, d: doc}]; p_items: [{b, o: offset, l: length,
-- t: ms, a: author}] cutting p_updates; p_frames: [{b, i, d, o, l}] cutting p_states. Each batch's
-- updates take the seqs after its document's last one, in offset order; its keyframe is stored
-- at its last seq. Answers each batch's last seq, in batch order, as one JSON array.
CREATE FUNCTION "tandem_doc_log_append"(
  p_batches json, p_items json, p_updates bytea, p_frames json, p_states bytea
) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  lasts json;
BEGIN
  -- One writer per document at a time, across app nodes; one fixed order, so no deadlock.
  PERFORM pg_advisory_xact_lock(h)
  FROM (SELECT DISTINCT hashtextextended(k, 0) AS h
        FROM json_to_recordset(p_batches) AS t(k text)) AS keys
  ORDER BY h;

  WITH batch AS (
    SELECT * FROM json_to_recordset(p_batches) AS t(b int, i uuid, d text)
  ), base AS (
    SELECT batch.b, batch.i, batch.d, coalesce(l.seq, 0) AS last
    FROM batch LEFT JOIN LATERAL (
      SELECT u.seq FROM doc_updates u
      WHERE u.interview_id = batch.i AND u.doc = batch.d
      ORDER BY u.seq DESC LIMIT 1
    ) l ON true
  ), item AS (
    SELECT * FROM json_to_recordset(p_items) AS t(b int, o int, l int, t bigint, a text)
  ), numbered AS (
    SELECT base.b, base.i, base.d, item.a,
           substring(p_updates FROM item.o FOR item.l) AS bytes,
           to_timestamp(item.t / 1000.0) AS at,
           base.last + row_number() OVER (PARTITION BY item.b ORDER BY item.o) AS seq
    FROM item JOIN base ON base.b = item.b
  ), inserted AS (
    INSERT INTO doc_updates (interview_id, doc, seq, author, "update", created_at)
    SELECT i, d, seq, a, bytes, at FROM numbered
  )
  SELECT coalesce(json_agg(last ORDER BY b), '[]') INTO lasts
  FROM (SELECT b, max(seq) AS last FROM numbered GROUP BY b) AS per_batch;

  INSERT INTO doc_snapshots (interview_id, doc, seq, state)
  SELECT f.i, f.d, (lasts ->> (f.b - 1))::int, substring(p_states FROM f.o FOR f.l)
  FROM json_to_recordset(p_frames) AS f(b int, i uuid, d text, o int, l int)
  ON CONFLICT DO NOTHING;

  RETURN lasts;
END
$$;
