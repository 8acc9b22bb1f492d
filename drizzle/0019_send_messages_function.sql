-- The write of one send or of a batch of sends to different threads (src/messaging/insert-messages.ts),
-- as one function call. It was one statement of six common table expressions sent as text: every call
-- was planned afresh (a custom plan, about 0.8 ms, more than the write itself for one message), since
-- a parameter used only as a function's argument gives PostgreSQL no reason to prefer the generic plan.
-- Inside a function the statement's plan is kept for the connection, and the SET clause makes it the
-- generic one from the first call. The statement itself is unchanged:
--   * each thread's counter is bumped, which takes the thread's row lock until the commit and numbers
--     its message; the rows are locked first, in id order, so two batches never wait in a cycle;
--   * created_at is taken under that lock and kept strictly increasing per thread, so the
--     (created_at, id) cursor order is commit order;
--   * the sender's read pointer moves to their own message; every participant row gets the thread's
--     activity (the thread list's sort key) and loses its archive mark;
--   * the change-feed rows are built from the inserted messages, which are built from the bumped
--     threads, so they (and their ids) cannot exist before their thread's lock is held; they have no
--     position yet (the sequencer numbers them), so no row shared by different threads is touched.
-- A client key already taken raises the unique violation on uq_messages_sender_client_key, which
-- undoes the whole call. A thread that does not exist gives no row for its input.
CREATE OR REPLACE FUNCTION "cm_send_messages"("input" jsonb)
RETURNS TABLE (
  "i" integer, "message_id" text, "id" text, "type" text, "class_id" text, "created_by_id" text,
  "title" text, "students_can_reply" boolean, "direct_key" text, "last_message_seq" bigint,
  "last_message_at" timestamptz, "created_at" timestamptz, "updated_at" timestamptz,
  "participant_ids" text[]
)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    WITH x AS (
      SELECT * FROM jsonb_to_recordset("input") AS x(i integer, thread_id text, sender_id text,
        content text, client_message_id text, reply_to_id text, created_at timestamptz, urgent boolean)
    ),
    locked AS (
      SELECT t.id FROM message_threads t WHERE t.id IN (SELECT x.thread_id FROM x) ORDER BY t.id
      FOR NO KEY UPDATE
    ),
    bumped AS (
      UPDATE message_threads t SET
        last_message_seq = t.last_message_seq + 1,
        last_message_at = greatest(coalesce(x.created_at, clock_timestamp()), t.last_message_at + interval '1 millisecond'),
        updated_at = clock_timestamp()
      FROM x
      WHERE t.id = x.thread_id AND t.id IN (SELECT locked.id FROM locked)
      RETURNING x.i, x.sender_id, x.content, x.client_message_id, x.reply_to_id, x.urgent,
        t.id, t.type, t.class_id, t.created_by_id, t.title, t.students_can_reply, t.direct_key,
        t.last_message_seq, t.last_message_at, t.created_at, t.updated_at
    ),
    inserted AS (
      INSERT INTO messages (thread_id, sender_id, content, seq, client_message_id, reply_to_id, created_at, urgent)
      SELECT b.id, b.sender_id, b.content, b.last_message_seq, b.client_message_id, b.reply_to_id,
        b.last_message_at, coalesce(b.urgent, false)
      FROM bumped b
      RETURNING messages.id, messages.thread_id, messages.sender_id, messages.seq, messages.created_at
    ),
    touched AS (
      UPDATE message_participants p SET
        last_read_seq = CASE WHEN p.user_id = m.sender_id THEN greatest(p.last_read_seq, m.seq) ELSE p.last_read_seq END,
        last_read_message_id = CASE WHEN p.user_id = m.sender_id THEN m.id ELSE p.last_read_message_id END,
        last_read_at = CASE WHEN p.user_id = m.sender_id THEN m.created_at ELSE p.last_read_at END,
        last_seen_at = CASE WHEN p.user_id = m.sender_id THEN m.created_at ELSE p.last_seen_at END,
        archived_at = NULL,
        activity_at = m.created_at
      FROM inserted m
      WHERE p.thread_id = m.thread_id
      RETURNING 1
    ),
    appended AS (
      INSERT INTO message_events (thread_id, message_id, kind)
      SELECT m.thread_id, m.id, 'created' FROM inserted m
      RETURNING message_events.id
    )
    SELECT b.i, m.id, b.id, b.type::text, b.class_id, b.created_by_id, b.title, b.students_can_reply,
      b.direct_key, b.last_message_seq, b.last_message_at, b.created_at, b.updated_at,
      array(SELECT p.user_id FROM message_participants p WHERE p.thread_id = b.id AND p.left_at IS NULL)
    FROM inserted m JOIN bumped b ON b.id = m.thread_id;
END
$$;
