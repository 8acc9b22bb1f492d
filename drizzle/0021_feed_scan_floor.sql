ALTER TABLE "message_event_counter" ADD COLUMN "scan_from" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "message_event_counter" ADD COLUMN "next_scan_from" bigint;--> statement-breakpoint
ALTER TABLE "message_event_counter" ADD COLUMN "next_scan_xid" bigint;--> statement-breakpoint
-- A scan floor for the sequencer (cm_number_feed, migration 0014). A pass numbers the committed rows
-- without a position, in id order, from the partial index of such rows. Numbering a row updates it,
-- and that update leaves the row's entry in that index behind, dead, until a vacuum: every pass
-- walked all of them from the left, thousands between two vacuums on a busy server (and up to
-- autovacuum's 20% of the table on a default one), so the cost of a pass grew with the traffic
-- since the last vacuum.
--
-- Ids are drawn from the identity sequence at insert time, not at commit, so "the highest id
-- numbered so far" is no floor: a transaction may still commit a row with a lower id. The floor is
-- taken in two steps instead, in the spirit of Synapse's "persisted up to" position:
--   1. a pass reads the highest id drawn so far (the sequence's last value) before its own
--      transaction has a transaction id, then takes one (its first row lock, or
--      pg_current_xact_id) and notes both. Every transaction that drew one of those ids had its
--      transaction id before that, since each writer of the feed changes a row before it appends
--      (cm_send_messages bumps the thread; an edit or a delete updates its message and locks the
--      thread first), and transaction ids are handed out in order: so all of theirs are below the
--      noted one. (pg_snapshot_xmax is no such mark: it is one past the latest *completed*
--      transaction, and a running one may hold a higher id.)
--   2. a later pass that finds every transaction below the noted id ended (the oldest running one,
--      pg_snapshot_xmin, at or above it) sees every such row committed, or knows it never will be;
--      once it has numbered all of them (it did not stop at its batch size below the noted id), the
--      noted id becomes the floor, and a new note is taken.
-- Passes then scan ids above the floor only, a descent of the index to it. Transaction ids are
-- server-wide: a long transaction anywhere on the server holds the floor where it is meanwhile (the
-- passes then scan from there, as every pass did before). A sequence that caches values per session
-- (CACHE > 1) hands out ids below its last value later, so with one the floor never moves.
-- Everything runs under the passes' advisory lock.
CREATE OR REPLACE FUNCTION "cm_number_feed"("batch" integer)
RETURNS TABLE ("first_pos" bigint, "last_pos" bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  floor_id bigint;
  noted_id bigint;
  noted_xid bigint;
  oldest bigint;
  drawn bigint;
  safe boolean;
BEGIN
  PERFORM pg_advisory_xact_lock(27986064453231972);
  -- The state, the oldest running transaction (step 2's condition, checked before the numbering's
  -- snapshot is taken) and step 1's id, read while this transaction has no transaction id yet.
  SELECT c.scan_from, c.next_scan_from, c.next_scan_xid,
      pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
      CASE WHEN pg_current_xact_id_if_assigned() IS NULL AND s.seqcache = 1
        THEN coalesce(pg_sequence_last_value(s.seqrelid), 0) END
    INTO floor_id, noted_id, noted_xid, oldest, drawn
    FROM pg_sequence s LEFT JOIN message_event_counter c ON c.id = 1
    WHERE s.seqrelid = 'message_events_id_seq'::regclass;
  floor_id := coalesce(floor_id, 0);
  safe := noted_id IS NOT NULL AND oldest >= noted_xid;
  -- One statement numbers the pass and moves the state along with the counter: the floor to the
  -- noted id once it is safe and every row up to it is numbered, and then (or when there is no note
  -- yet) a new note, with this transaction's id, assigned by the row locks of `pending`.
  RETURN QUERY
    WITH pending AS (
      SELECT e.id FROM message_events e WHERE e.pos IS NULL AND e.id > floor_id ORDER BY e.id LIMIT "batch" FOR UPDATE
    ),
    numbered AS (
      SELECT p.id, row_number() OVER (ORDER BY p.id) AS n, count(*) OVER () AS total FROM pending p
    ),
    pass AS (
      SELECT count(*) AS total,
        safe AND (count(*) < "batch" OR max(pending.id) >= noted_id) AS moves
      FROM pending
    ),
    bumped AS (
      INSERT INTO message_event_counter AS c (id, pos, scan_from, next_scan_from, next_scan_xid)
      SELECT 1, pass.total,
        CASE WHEN pass.moves THEN greatest(floor_id, noted_id) ELSE floor_id END,
        CASE WHEN pass.moves OR noted_id IS NULL THEN drawn ELSE noted_id END,
        CASE WHEN pass.moves OR noted_id IS NULL
          THEN CASE WHEN drawn IS NULL THEN NULL ELSE pg_current_xact_id()::text::bigint END
          ELSE noted_xid END
      FROM pass WHERE pass.total > 0
      ON CONFLICT (id) DO UPDATE SET pos = c.pos + excluded.pos,
        scan_from = greatest(c.scan_from, excluded.scan_from),
        next_scan_from = excluded.next_scan_from, next_scan_xid = excluded.next_scan_xid
      RETURNING c.pos
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
