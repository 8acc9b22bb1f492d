-- A sequencer pass's numbering as one call (src/messaging/feed-sequencer.ts): the same two steps
-- the pass ran as BEGIN, the lock, the numbering statement and COMMIT, four round trips, now one.
-- The advisory lock serialises passes across processes, as before (its key is "cm-feed" in ASCII,
-- the key older processes take, so a rolling deploy mixes both safely). The numbering is its own
-- statement after the lock: a volatile function takes a fresh snapshot for each statement, so it
-- never sees as pending a row that the previous pass numbered. `for update` keeps each chosen row
-- from being deleted before the commit, so every number lands on a row. Returns the range it
-- numbered, or no row when nothing waited; the caller commits it by ending its statement.
CREATE OR REPLACE FUNCTION "cm_number_feed"("batch" integer)
RETURNS TABLE ("first_pos" bigint, "last_pos" bigint)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(27986064453231972);
  RETURN QUERY
    WITH pending AS (
      SELECT e.id FROM message_events e WHERE e.pos IS NULL ORDER BY e.id LIMIT "batch" FOR UPDATE
    ),
    numbered AS (
      SELECT p.id, row_number() OVER (ORDER BY p.id) AS n, count(*) OVER () AS total FROM pending p
    ),
    bumped AS (
      INSERT INTO message_event_counter (id, pos)
      SELECT 1, count(*) FROM pending HAVING count(*) > 0
      ON CONFLICT (id) DO UPDATE SET pos = message_event_counter.pos + excluded.pos
      RETURNING message_event_counter.pos
    ),
    positioned AS (
      UPDATE message_events target SET pos = bumped.pos - numbered.total + numbered.n
      FROM numbered, bumped
      WHERE target.id = numbered.id
      RETURNING target.pos
    )
    SELECT min(positioned.pos)::bigint, max(positioned.pos)::bigint FROM positioned HAVING count(*) > 0;
END
$$;
