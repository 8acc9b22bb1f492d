// Keeps the analytics rollups (schema.ts: analytics_thread_hours, _platform_hours, _viewer_hours
// with _viewer_threads, _student_days, analytics_waits, _wait_hours and _wait_days) up to date from the change
// feed, off the send path: a send pays nothing for analytics. Each run takes the feed's positions
// after the last one it applied (positions are commit-ordered and gap-free), adds +1 per created and
// −1 per deleted message to its rows (per thread, for the platform, for each non-student in the
// thread, and per student and day), rebuilds the response-time rows of the threads those changes
// touched (their counts out before, in after), and moves a thread's history in or out of a viewer's
// rows when they joined or left it. Runs are serialised across processes by the state row's lock.
// The first run (or one that finds the feed pruned past its position) rebuilds everything from the
// messages table, counting exactly what the feed up to the position it records says.
import { sql, type SQL } from 'drizzle-orm';
import { inTransaction, queryRows, type Db } from '@/db/client';

const DEFAULT_BATCH = 5_000;

export interface TRefreshResult {
  rebuilt: boolean;
  /** Feed positions applied by this run. */
  positions: number;
  /** Threads whose response-time rows were rebuilt. */
  threads: number;
  throughPos: number;
}

/** Applies what the feed committed since the last run; call until `positions` is 0 to catch up. */
export async function refreshAnalytics(
  ctx: { db: Db },
  opts: { batchSize?: number } = {},
): Promise<TRefreshResult> {
  const batch = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  return inTransaction(ctx.db, async (tx) => {
    // One run at a time across processes: the first takes the advisory lock, later ones the row lock.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('classroom-messaging.analytics'))`);
    const [state] = await queryRows<{ through_pos: string | number }>(
      tx,
      sql`select through_pos from analytics_state where id = 1 for update`,
    );
    const [feed] = await queryRows<{ end_pos: string | number; pruned: string | number }>(
      tx,
      sql`select coalesce((select pos from message_event_counter where id = 1), 0) as end_pos,
        coalesce((select pruned_through from message_feed_window where id = 1), 0) as pruned`,
    );
    const end = Number(feed?.end_pos ?? 0);
    const from = state ? Number(state.through_pos) : -1;
    if (from < 0 || Number(feed?.pruned ?? 0) > from) {
      await rebuildAll(tx, end);
      return { rebuilt: true, positions: 0, threads: 0, throughPos: end };
    }
    const to = Math.min(end, from + batch);
    if (to <= from) {
      await reconcileViewers(tx);
      return { rebuilt: false, positions: 0, threads: 0, throughPos: from };
    }
    await applyDelta(tx, from, to);
    const touched = await queryRows<{ thread_id: string }>(
      tx,
      sql`select distinct thread_id from message_events
        where pos > ${from} and pos <= ${to} and kind in ('created', 'deleted')`,
    );
    const threadIds = touched.map((t) => t.thread_id);
    if (threadIds.length > 0) {
      await countWaits(tx, -1, sql`in ${threadIds}`);
      await rebuildWaits(tx, threadIds);
      await countWaits(tx, 1, sql`in ${threadIds}`);
    }
    await reconcileViewers(tx);
    await tx.execute(sql`update analytics_state set through_pos = ${to}, updated_at = now() where id = 1`);
    return { rebuilt: false, positions: to - from, threads: threadIds.length, throughPos: to };
  });
}

/** Runs refreshAnalytics until it has caught up with the feed (a bounded number of rounds). */
export async function catchUpAnalytics(ctx: { db: Db }, opts: { maxRounds?: number } = {}): Promise<number> {
  let applied = 0;
  for (let round = 0; round < (opts.maxRounds ?? 100); round++) {
    const result = await refreshAnalytics(ctx);
    applied += result.positions;
    if (result.positions === 0 && !result.rebuilt) break;
  }
  return applied;
}

/** Who the per-viewer rollup counts for: every thread a non-student currently takes part in. */
const STAFF_PARTICIPANTS = sql`users u join message_participants p on p.user_id = u.id
  where u.role <> 'STUDENT' and p.left_at is null`;

/**
 * The feed positions (from, to]: +1 per created and −1 per deleted message, added in one statement
 * to its (thread, hour, staff sender) row, the platform's (hour, type, staff or student) row, and the
 * (viewer, hour, type, sent/received) row of each viewer counting the thread.
 */
async function applyDelta(tx: Db, from: number, to: number): Promise<void> {
  await tx.execute(sql`
    with d as (
      select e.thread_id, t.type, date_trunc('hour', m.created_at, 'UTC') as hour, m.sender_id, m.created_at,
        u.role <> 'STUDENT' as staff, case when e.kind = 'created' then 1 else -1 end as n
      from message_events e join messages m on m.id = e.message_id
      join message_threads t on t.id = e.thread_id join users u on u.id = m.sender_id
      where e.pos > ${from} and e.pos <= ${to} and e.kind in ('created', 'deleted')
    ),
    per_thread as (
      insert into analytics_thread_hours (thread_id, hour, staff_id, messages)
      select thread_id, hour, case when staff then sender_id else '' end, sum(n)::int from d group by 1, 2, 3
      on conflict (thread_id, hour, staff_id)
        do update set messages = analytics_thread_hours.messages + excluded.messages
    ),
    student_days as (
      insert into analytics_student_days (thread_id, day, student_id, messages, last_at)
      select thread_id, date_trunc('day', created_at, 'UTC'), sender_id, sum(n)::int,
        max(created_at) filter (where n > 0)
      from d where not staff and type = 'CLASS' group by 1, 2, 3
      on conflict (thread_id, day, student_id) do update set
        messages = analytics_student_days.messages + excluded.messages,
        last_at = greatest(analytics_student_days.last_at, excluded.last_at)
    ),
    platform as (
      insert into analytics_platform_hours (hour, thread_type, from_staff, messages)
      select hour, type, staff, sum(n)::int from d group by 1, 2, 3
      on conflict (hour, thread_type, from_staff)
        do update set messages = analytics_platform_hours.messages + excluded.messages
    )
    insert into analytics_viewer_hours (user_id, hour, thread_type, sent, messages)
    select v.user_id, d.hour, d.type, d.sender_id = v.user_id, sum(d.n)::int
    from d join analytics_viewer_threads v on v.thread_id = d.thread_id
    group by 1, 2, 3, 4
    on conflict (user_id, hour, thread_type, sent)
      do update set messages = analytics_viewer_hours.messages + excluded.messages`);
  // A deleted message may have been its day's latest: take the latest again from what is left.
  await tx.execute(sql`
    update analytics_student_days s set last_at = (
      select max(m.created_at) from messages m
      where m.thread_id = s.thread_id and m.created_at >= s.day and m.created_at < s.day + interval '1 day'
        and m.sender_id = s.student_id and m.deleted_at is null)
    from (
      select distinct e.thread_id, date_trunc('day', m.created_at, 'UTC') as day, m.sender_id
      from message_events e join messages m on m.id = e.message_id
      where e.pos > ${from} and e.pos <= ${to} and e.kind = 'deleted'
    ) k
    where s.thread_id = k.thread_id and s.day = k.day and s.student_id = k.sender_id`);
}

/**
 * Brings the per-viewer rollup's thread set up to date with who takes part where now: a thread a
 * non-student joined adds its whole history (from analytics_thread_hours, already current) to their
 * rows, one they left takes it away. Cheap when nothing changed: an index walk over staff's rows.
 */
async function reconcileViewers(tx: Db): Promise<void> {
  const changes = await queryRows<{ user_id: string; thread_id: string; sign: number | string }>(
    tx,
    sql`with want as (select p.user_id, p.thread_id from ${STAFF_PARTICIPANTS})
      select w.user_id, w.thread_id, 1 as sign from want w
      where not exists (select 1 from analytics_viewer_threads v
        where v.user_id = w.user_id and v.thread_id = w.thread_id)
      union all
      select v.user_id, v.thread_id, -1 from analytics_viewer_threads v
      where not exists (select 1 from want w where w.user_id = v.user_id and w.thread_id = v.thread_id)`,
  );
  if (changes.length === 0) return;
  const values = sql.join(
    changes.map((c) => sql`(${c.user_id}, ${c.thread_id}, ${Number(c.sign)}::int)`),
    sql`, `,
  );
  const list = sql`changes (user_id, thread_id, sign) as (values ${values})`;
  // Their waits first, while analytics_viewer_threads still says who counted them.
  await tx.execute(sql`
    with ${list}, w as (${waitCounts(sql`in (select thread_id from changes)`)}),
    per_viewer as (
      select c.user_id as viewer_id, w.hour, w.class_key, w.wait_ms, w.n * c.sign as n
      from changes c join w on w.thread_id = c.thread_id
    ),
    ${addWaitCounts(sql`per_viewer`)}`);
  await tx.execute(sql`
    with ${list},
    added as (
      insert into analytics_viewer_threads (user_id, thread_id)
      select user_id, thread_id from changes where sign = 1
    ),
    removed as (
      delete from analytics_viewer_threads v using changes c
      where c.sign = -1 and v.user_id = c.user_id and v.thread_id = c.thread_id
    )
    insert into analytics_viewer_hours (user_id, hour, thread_type, sent, messages)
    select c.user_id, h.hour, t.type, h.staff_id = c.user_id, sum(h.messages * c.sign)::int
    from changes c join analytics_thread_hours h on h.thread_id = c.thread_id
    join message_threads t on t.id = c.thread_id
    group by 1, 2, 3, 4
    on conflict (user_id, hour, thread_type, sent)
      do update set messages = analytics_viewer_hours.messages + excluded.messages`);
}

/** These threads' waits (`threads`: a condition on thread_id; null: all) per (hour, class, wait). */
function waitCounts(threads: SQL | null) {
  return sql`select w.thread_id, date_trunc('hour', w.asked_at, 'UTC') as hour, coalesce(t.class_id, '') as class_key,
      coalesce((extract(epoch from w.answered_at - w.asked_at) * 1000)::bigint, -1) as wait_ms, count(*) as n
    from analytics_waits w join message_threads t on t.id = w.thread_id
    ${threads ? sql`where w.thread_id ${threads}` : sql``}
    group by 1, 2, 3, 4`;
}

/**
 * Adds (sign 1) or takes away (−1) these threads' current waits in analytics_wait_hours: on the
 * platform's rows and on those of each viewer counting the thread. Around a rebuild of their waits,
 * −1 before and +1 after leaves exactly the change.
 */
async function countWaits(tx: Db, sign: 1 | -1, threads: SQL | null): Promise<void> {
  await tx.execute(sql`
    with w as (${waitCounts(threads)}),
    per_viewer as (
      select '' as viewer_id, hour, class_key, wait_ms, n from w
      union all
      select v.user_id, w.hour, w.class_key, w.wait_ms, w.n
      from w join analytics_viewer_threads v on v.thread_id = w.thread_id
    ),
    signed as (select viewer_id, hour, class_key, wait_ms, ${sign}::int * n as n from per_viewer),
    ${addWaitCounts(sql`signed`)}`);
}

/**
 * The tail of a statement whose CTE `source` has (viewer_id, hour, class_key, wait_ms, n): adds n
 * to analytics_wait_hours and, per UTC day, to analytics_wait_days. New rows go in key order, so a
 * rebuild lays each viewer's days out together and a report's read touches few pages.
 */
function addWaitCounts(source: SQL) {
  return sql`per_hour as (
      insert into analytics_wait_hours (viewer_id, hour, class_key, wait_ms, waits)
      select viewer_id, hour, class_key, wait_ms, sum(n)::int from ${source}
      group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (viewer_id, hour, class_key, wait_ms)
        do update set waits = analytics_wait_hours.waits + excluded.waits
    )
    insert into analytics_wait_days (viewer_id, day, class_key, wait_ms, waits)
    select viewer_id, date_trunc('day', hour, 'UTC'), class_key, wait_ms, sum(n)::int from ${source}
    group by 1, 2, 3, 4 order by 1, 2, 3, 4
    on conflict (viewer_id, day, class_key, wait_ms)
      do update set waits = analytics_wait_days.waits + excluded.waits`;
}

/**
 * Everything from the messages table, as the feed up to `throughPos` has it: a message whose created
 * change is later (or not yet positioned) is left for the incremental runs, and so is a deletion.
 */
async function rebuildAll(tx: Db, throughPos: number): Promise<void> {
  await tx.execute(sql`delete from analytics_thread_hours`);
  await tx.execute(sql`delete from analytics_platform_hours`);
  await tx.execute(sql`delete from analytics_viewer_hours`);
  await tx.execute(sql`delete from analytics_viewer_threads`);
  await tx.execute(sql`delete from analytics_student_days`);
  await tx.execute(sql`
    with late as (
      select message_id, kind from message_events
      where (pos is null or pos > ${throughPos}) and kind in ('created', 'deleted')
    ),
    counted as (
      select m.thread_id, m.created_at, m.sender_id, u.role <> 'STUDENT' as staff, t.type
      from messages m join users u on u.id = m.sender_id join message_threads t on t.id = m.thread_id
      where not exists (select 1 from late l where l.message_id = m.id and l.kind = 'created')
        and (m.deleted_at is null
          or exists (select 1 from late l where l.message_id = m.id and l.kind = 'deleted'))
    ),
    student_days as (
      insert into analytics_student_days (thread_id, day, student_id, messages, last_at)
      select thread_id, date_trunc('day', created_at, 'UTC'), sender_id, count(*)::int, max(created_at)
      from counted where not staff and type = 'CLASS' group by 1, 2, 3
    )
    insert into analytics_thread_hours (thread_id, hour, staff_id, messages)
    select thread_id, date_trunc('hour', created_at, 'UTC'), case when staff then sender_id else '' end,
      count(*)::int
    from counted group by 1, 2, 3`);
  await tx.execute(sql`
    insert into analytics_platform_hours (hour, thread_type, from_staff, messages)
    select h.hour, t.type, h.staff_id <> '', sum(h.messages)::int
    from analytics_thread_hours h join message_threads t on t.id = h.thread_id
    group by 1, 2, 3`);
  await tx.execute(sql`
    insert into analytics_viewer_threads (user_id, thread_id)
    select p.user_id, p.thread_id from ${STAFF_PARTICIPANTS}`);
  await tx.execute(sql`
    insert into analytics_viewer_hours (user_id, hour, thread_type, sent, messages)
    select v.user_id, h.hour, t.type, h.staff_id = v.user_id, sum(h.messages)::int
    from analytics_viewer_threads v join analytics_thread_hours h on h.thread_id = v.thread_id
    join message_threads t on t.id = v.thread_id
    group by 1, 2, 3, 4`);
  await tx.execute(sql`delete from analytics_wait_hours`);
  await tx.execute(sql`delete from analytics_wait_days`);
  await rebuildWaits(tx, null);
  await countWaits(tx, 1, null);
  await tx.execute(sql`
    insert into analytics_state (id, through_pos) values (1, ${throughPos})
    on conflict (id) do update set through_pos = excluded.through_pos, updated_at = now()`);
}

/**
 * The response-time rows of these threads (null: all), from their live messages: each student message
 * that opens or continues a conversation (the first of a student's turn: after the thread's start or
 * someone else's message), and the first later message in its thread from anyone who is not a
 * student (any instructor of the thread answers for it). created_at is strictly increasing within a thread, so
 * (thread, created_at) names the answering message.
 */
async function rebuildWaits(tx: Db, threadIds: string[] | null): Promise<void> {
  const scope = threadIds ? sql`and m.thread_id in ${threadIds}` : sql``;
  await tx.execute(
    threadIds
      ? sql`delete from analytics_waits where thread_id in ${threadIds}`
      : sql`delete from analytics_waits`,
  );
  await tx.execute(sql`
    with ms as (
      select m.id, m.thread_id, m.sender_id, m.created_at, u.role = 'STUDENT' as from_student
      from messages m join users u on u.id = m.sender_id
      where m.deleted_at is null ${scope}
    ),
    answered as (
      select ms.*,
        min(case when not from_student then created_at end) over (
          partition by thread_id order by created_at desc, id desc
          rows between unbounded preceding and 1 preceding
        ) as answered_at,
        -- A student's turn starts with their first message after someone else's (or the thread's
        -- first); their follow-up a minute later is the same question, not another wait.
        coalesce(lag(sender_id) over (partition by thread_id order by created_at, id) = sender_id, false)
          as continues
      from ms
    )
    insert into analytics_waits (message_id, thread_id, student_id, asked_at, answered_at, answered_by_id)
    select a.id, a.thread_id, a.sender_id, a.created_at, a.answered_at, r.sender_id
    from answered a
    left join ms r on r.thread_id = a.thread_id and r.created_at = a.answered_at and not r.from_student
    where a.from_student and not a.continues`);
}
