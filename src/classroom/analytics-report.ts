// The analytics page's figures, read from the rollups (analytics-rollup.ts) and small per-class
// tables: messages per day (sent/received, DIRECT/CLASS), hour × weekday, instructor response time
// per class and week, unanswered student messages, and one class's engagement. An instructor sees
// the threads they take part in; an ADMIN sees the whole platform. Days and hours are the reader's
// time zone's.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '@/db/client';
import type { Role } from '@/db/schema';
import type { MessagingContext } from '@/messaging/context';
import { validText } from '@/messaging/ids';
import { parseTextArray } from '@/messaging/message-log';
import { AppError } from '@/platform/errors';

export const ANALYTICS_RANGES = ['7', '30', '90', 'custom'] as const;
/** The longest custom range: a year of days is still a small chart. */
export const MAX_RANGE_DAYS = 366;
export const UNANSWERED_AFTER_HOURS = 48;
const UNANSWERED_LIMIT = 50;
const ANNOUNCEMENT_LIMIT = 20;
const ROSTER_LIMIT = 300;

const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-01-31.');

export const ZAnalyticsQuery = z
  .object({
    range: z.enum(ANALYTICS_RANGES).default('30'),
    from: ZDay.optional(),
    to: ZDay.optional(),
    classId: validText(z.string().min(1).max(100)).optional(),
    tz: z
      .string()
      .max(64)
      .default('UTC')
      .refine(validTimeZone, 'Not a time zone this server knows (e.g. Europe/Berlin).'),
  })
  .refine((q) => q.range !== 'custom' || (q.from && q.to), {
    message: 'A custom range needs both from and to.',
    path: ['from'],
  });
export type TAnalyticsQuery = z.input<typeof ZAnalyticsQuery>;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const ZCount = z.number().int();
const ZSeconds = z.number().nullable().describe('Seconds; null when nothing was answered');

export const ZAnalyticsReport = z
  .object({
    scope: z.enum(['instructor', 'platform']),
    range: z.object({ from: ZDay, to: ZDay, tz: z.string(), days: ZCount }),
    classes: z.array(z.object({ id: z.string(), name: z.string(), code: z.string() })),
    classId: z.string().nullable(),
    perDay: z.array(
      z.object({
        day: ZDay,
        sentDirect: ZCount,
        sentClass: ZCount,
        receivedDirect: ZCount,
        receivedClass: ZCount,
      }),
    ),
    heatmap: z
      .array(z.object({ weekday: ZCount.describe('0 = Sunday'), hour: ZCount, messages: ZCount }))
      .describe('Only the cells with messages'),
    responseTimes: z.array(
      z.object({
        classId: z.string().nullable().describe('null: DIRECT conversations'),
        className: z.string(),
        week: ZDay.nullable().describe("The week's Monday; null: the class's whole range"),
        asked: ZCount,
        answered: ZCount,
        medianSeconds: ZSeconds,
        p90Seconds: ZSeconds,
      }),
    ),
    unanswered: z.object({
      total: ZCount,
      items: z.array(
        z.object({
          messageId: z.string(),
          threadId: z.string(),
          threadTitle: z.string(),
          studentName: z.string(),
          preview: z.string(),
          askedAt: z.string(),
        }),
      ),
    }),
    engagement: z
      .object({
        classId: z.string(),
        className: z.string(),
        announcements: z.array(
          z.object({
            messageId: z.string(),
            threadId: z.string(),
            title: z.string(),
            preview: z.string(),
            sentAt: z.string(),
            recipients: ZCount,
            readWithin24h: ZCount,
            readEver: ZCount,
            notReadIds: z.array(z.string()),
          }),
        ),
        repliers: z.array(
          z.object({ studentId: z.string(), name: z.string(), replies: ZCount, lastReplyAt: z.string() }),
        ),
        students: z.array(
          z.object({
            studentId: z.string(),
            name: z.string(),
            lastActiveAt: z.string().nullable(),
            unreadBacklog: ZCount,
            announcementsUnread: ZCount,
          }),
        ),
      })
      .nullable(),
    freshness: z.object({
      throughPos: ZCount.describe('The change-feed position the rollups include'),
      updatedAt: z.string().nullable(),
    }),
  })
  .meta({ id: 'AnalyticsReport' });
export type TAnalyticsReport = z.infer<typeof ZAnalyticsReport>;

const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();
const num = (v: unknown) => Number(v ?? 0);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The reader's date today, in their time zone (YYYY-MM-DD). */
function todayIn(tz: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function dayRange(
  q: z.output<typeof ZAnalyticsQuery>,
  now: Date,
): { from: string; to: string; days: number } {
  const today = todayIn(q.tz, now);
  if (q.range !== 'custom')
    return { from: addDays(today, 1 - Number(q.range)), to: today, days: Number(q.range) };
  const from = q.from!;
  const to = q.to!;
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  if (!(days >= 1 && days <= MAX_RANGE_DAYS)) {
    throw new AppError('VALIDATION_FAILED', 'Some fields are missing or invalid.', {
      fields: { to: [`Choose a range of 1 to ${MAX_RANGE_DAYS} days, ending on or after its start.`] },
    });
  }
  return { from, to, days };
}

export async function getAnalyticsReport(
  ctx: MessagingContext,
  opts: { userId: string; role: Role; query: TAnalyticsQuery; now?: Date },
): Promise<TAnalyticsReport> {
  const parsed = ZAnalyticsQuery.safeParse(opts.query);
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const i of parsed.error.issues) (fields[i.path.join('.') || '_'] ??= []).push(i.message);
    throw new AppError('VALIDATION_FAILED', 'Some fields are missing or invalid.', { fields });
  }
  const q = parsed.data;
  const now = opts.now ?? new Date();
  const platform = opts.role === 'ADMIN';
  const { db } = ctx;
  const range = dayRange(q, now);
  const tz = q.tz;

  const classes = await queryRows<{ id: string; name: string; code: string }>(
    db,
    platform
      ? sql`select id, name, code from classes order by name limit 200`
      : sql`select c.id, c.name, c.code from classes c join class_instructors ci on ci.class_id = c.id
          where ci.instructor_id = ${opts.userId} order by c.name limit 200`,
  );
  if (q.classId && !classes.some((c) => c.id === q.classId)) {
    throw new AppError('NOT_FOUND', 'This class does not exist or you do not teach it.');
  }
  const classId = q.classId ?? null;

  // The threads in view: the instructor's own (from their participant rows, an index walk) or all,
  // narrowed to a class's threads and the DIRECT conversations with its current students.
  const threadsInView = platform
    ? sql`message_threads t`
    : sql`message_participants mp join message_threads t on t.id = mp.thread_id
        and mp.user_id = ${opts.userId} and mp.left_at is null`;
  const inClass = classId
    ? sql`and (t.class_id = ${classId} or (t.type = 'DIRECT' and exists (
        select 1 from message_participants p2
        join class_enrollments e on e.student_id = p2.user_id and e.class_id = ${classId} and e.left_at is null
        where p2.thread_id = t.id)))`
    : sql``;
  const scope = sql`scope as (select t.id, t.type, t.class_id, t.title from ${threadsInView} where true ${inClass}),
    bounds as (select (${range.from}::date)::timestamp at time zone ${tz} as lo,
      (${range.to}::date + 1)::timestamp at time zone ${tz} as hi)`;
  const [localHours, responseTimes, unanswered, state] = await Promise.all([
    // One pass over the range's hour rows, grouped by the reader's local hour: the days and the
    // hour × weekday cells are both sums of these (at most 24 × 366 rows). Without a class filter
    // the viewer's own rollup (or the platform's) has a few rows an hour; with one, the class's
    // threads' rows.
    queryRows(db, localHoursQuery({ platform, classId, userId: opts.userId, scope, tz })),
    // (days: a UTC day per local day of the range, and one more where the zone's days straddle two.)
    queryRows(db, waitsQuery({ platform, classId, userId: opts.userId, scope, tz, days: range.days })),
    queryRows(
      db,
      // The newest open waits first (a partial index per thread), counted before the limit; only the
      // listed ones fetch their message and student. Scope is read once, so it is not materialised.
      sql`with ${scope}, open as (
        select w.message_id, w.thread_id, w.student_id, w.asked_at, s.title, s.type, count(*) over () as total
        from analytics_waits w join scope s on s.id = w.thread_id
        where w.answered_at is null
          and w.asked_at < ${now.toISOString()}::timestamptz - make_interval(hours => ${UNANSWERED_AFTER_HOURS})
        order by w.asked_at desc limit ${UNANSWERED_LIMIT}
      )
      select o.message_id, o.thread_id, o.asked_at, u.name as student_name, left(m.content, 120) as preview,
        coalesce(o.title, case when o.type = 'DIRECT' then u.name else 'Class thread' end) as thread_title, o.total
      from open o join users u on u.id = o.student_id join messages m on m.id = o.message_id
      order by o.asked_at desc`,
    ),
    queryRows(db, sql`select through_pos, updated_at from analytics_state where id = 1`),
  ]);

  const chosen = classId ? classes.find((c) => c.id === classId) : platform ? undefined : classes[0];
  return {
    scope: platform ? 'platform' : 'instructor',
    range: { ...range, tz },
    classes,
    classId,
    ...byDayAndHour(range.from, range.days, localHours),
    responseTimes: responseTimeRows(responseTimes),
    unanswered: {
      total: num(unanswered[0]?.total),
      items: unanswered.map((r) => ({
        messageId: String(r.message_id),
        threadId: String(r.thread_id),
        threadTitle: String(r.thread_title),
        studentName: String(r.student_name),
        preview: String(r.preview),
        askedAt: iso(r.asked_at),
      })),
    },
    engagement: chosen ? await classEngagement(ctx, chosen, range, tz) : null,
    freshness: {
      throughPos: num(state[0]?.through_pos),
      updatedAt: state[0]?.updated_at ? iso(state[0].updated_at) : null,
    },
  };
}

/**
 * Messages per local hour of the range, split by sent/received and DIRECT/CLASS. "Sent" is the
 * viewer's own messages, or on the platform view every non-student's.
 */
function localHoursQuery(o: {
  platform: boolean;
  classId: string | null;
  userId: string;
  scope: SQL;
  tz: string;
}) {
  const source: SQL = o.classId
    ? sql`from analytics_thread_hours h join scope s on s.id = h.thread_id`
    : o.platform
      ? sql`from analytics_platform_hours h`
      : sql`from analytics_viewer_hours h`;
  const sent: SQL = o.classId
    ? o.platform
      ? sql`h.staff_id <> ''`
      : sql`h.staff_id = ${o.userId}`
    : o.platform
      ? sql`h.from_staff`
      : sql`h.sent`;
  const type: SQL = o.classId ? sql`s.type` : sql`h.thread_type`;
  const mine: SQL = !o.classId && !o.platform ? sql`and h.user_id = ${o.userId}` : sql``;
  return sql`with ${o.scope}
    select to_char(date_trunc('hour', h.hour at time zone ${o.tz}), 'YYYY-MM-DD"T"HH24') as local_hour,
      coalesce(sum(h.messages) filter (where ${sent} and ${type} = 'DIRECT'), 0) as sent_direct,
      coalesce(sum(h.messages) filter (where ${sent} and ${type} = 'CLASS'), 0) as sent_class,
      coalesce(sum(h.messages) filter (where not (${sent}) and ${type} = 'DIRECT'), 0) as received_direct,
      coalesce(sum(h.messages) filter (where not (${sent}) and ${type} = 'CLASS'), 0) as received_class
    ${source} cross join bounds b
    where h.hour >= b.lo and h.hour < b.hi ${mine}
    group by 1`;
}

type TResponseTime = TAnalyticsReport['responseTimes'][number];

/**
 * The response-time rows from (class, week, seconds or null for unanswered, count) rows ordered by
 * class name, class, week and seconds: per class its whole range first, then each week. Median and
 * p90 as PostgreSQL's percentile_cont takes them: the value at p × (answered − 1) in order,
 * interpolated between its neighbours, over the answered waits only.
 */
function responseTimeRows(rows: Array<Record<string, unknown>>): TResponseTime[] {
  interface Group {
    row: TResponseTime;
    values: Array<[number, number]>; // [seconds, count], ascending
  }
  const out: Group[] = [];
  let whole: Group | undefined;
  let week: Group | undefined;
  const start = (classId: string | null, className: string, w: string | null): Group => ({
    row: { classId, className, week: w, asked: 0, answered: 0, medianSeconds: null, p90Seconds: null },
    values: [],
  });
  for (const r of rows) {
    const classId = (r.class_id as string | null) ?? null;
    const className = String(r.class_name);
    const w = String(r.week);
    if (!whole || whole.row.classId !== classId || whole.row.className !== className) {
      whole = start(classId, className, null);
      week = undefined;
      out.push(whole);
    }
    if (!week || week.row.week !== w) {
      week = start(classId, className, w);
      out.push(week);
    }
    const n = num(r.n);
    const secs = numOrNull(r.secs);
    for (const g of [whole, week]) {
      g.row.asked += n;
      if (secs === null) continue;
      g.row.answered += n;
      g.values.push([secs, n]);
    }
  }
  for (const g of out) {
    // The whole range's values come week by week: put them in order.
    if (g.row.week === null) g.values.sort((x, y) => x[0] - y[0]);
    g.row.medianSeconds = percentileCont(g.values, g.row.answered, 0.5);
    g.row.p90Seconds = percentileCont(g.values, g.row.answered, 0.9);
  }
  return out.map((g) => g.row);
}

/** percentile_cont over counted values in ascending order (total: the sum of the counts). */
function percentileCont(values: Array<[number, number]>, total: number, p: number): number | null {
  if (total === 0) return null;
  const pos = p * (total - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const at = (k: number) => {
    let seen = 0;
    for (const [v, n] of values) {
      seen += n;
      if (k < seen) return v;
    }
    return values[values.length - 1]![0];
  };
  const first = at(lo);
  return lo === hi ? first : first + (pos - lo) * (at(hi) - first);
}

/**
 * Waits per (class, local week, seconds), counted: from analytics_wait_days for the range's whole
 * days and analytics_wait_hours for the others (the viewer's rows or the platform's, narrowed to one
 * class when filtered) plus, with a class filter, the threads in
 * view outside it (the DIRECT conversations with its students), whose few waits are read directly. The medians and p90s are
 * taken from these counts (responseTimeRows), exactly as percentile_cont would over every wait.
 */
function waitsQuery(o: {
  platform: boolean;
  classId: string | null;
  userId: string;
  scope: SQL;
  tz: string;
  days: number;
}) {
  const viewer = o.platform ? '' : o.userId;
  const direct = o.classId
    ? sql`union all
      select coalesce(s.class_id, '') as class_key, date_trunc('week', x.hour at time zone ${o.tz}), x.wait_ms, x.n
      from scope s cross join bounds b cross join lateral (
        select date_trunc('hour', w.asked_at, 'UTC') as hour,
          coalesce((extract(epoch from w.answered_at - w.asked_at) * 1000)::bigint, -1) as wait_ms, count(*) as n
        from analytics_waits w where w.thread_id = s.id and w.asked_at >= b.lo and w.asked_at < b.hi
        group by 1, 2
      ) x
      where s.class_id is distinct from ${o.classId}`
    : sql``;
  const inClass = o.classId ? sql`and h.class_key = ${o.classId}` : sql``;
  const week = (t: SQL) => sql`date_trunc('week', ${t} at time zone ${o.tz})`;
  // A UTC day is whole when it lies in the range and in one of the reader's weeks (for a zone an
  // hour or two from UTC: every day but the one its weeks and the range start in).
  return sql`with ${o.scope}, days as (
      select g.d, g.d >= b.lo and g.d + interval '1 day' <= b.hi
        and ${week(sql`g.d`)} = ${week(sql`(g.d + interval '1 day' - interval '1 millisecond')`)} as whole
      from bounds b cross join lateral (
        select date_trunc('day', b.lo, 'UTC') + i * interval '1 day' as d from generate_series(0, ${o.days}) i
      ) g
    ),
    counted as (
      select h.class_key, ${week(sql`h.day`)} as week, h.wait_ms, h.waits as n
      from days g cross join lateral (
        select * from analytics_wait_days h
        where h.viewer_id = ${viewer} and h.day = g.d and h.waits <> 0 ${inClass}
        offset 0
      ) h
      where g.whole
      union all
      select h.class_key, ${week(sql`h.hour`)}, h.wait_ms, h.waits
      from days g cross join bounds b cross join lateral (
        select * from analytics_wait_hours h
        where h.viewer_id = ${viewer} and h.hour >= greatest(g.d, b.lo)
          and h.hour < least(g.d + interval '1 day', b.hi) and h.waits <> 0 ${inClass}
        offset 0
      ) h
      where not g.whole
      ${direct}
    ),
    waits as (select class_key, week, wait_ms, sum(n) as n from counted group by 1, 2, 3)
    select nullif(w.class_key, '') as class_id, coalesce(c.name, 'Direct messages') as class_name,
      to_char(w.week, 'YYYY-MM-DD') as week,
      case when w.wait_ms < 0 then null else w.wait_ms / 1000.0 end as secs, w.n
    from waits w left join classes c on c.id = w.class_key
    order by class_name, w.class_key, w.week, w.wait_ms`;
}

const SERIES_COLUMNS = ['sent_direct', 'sent_class', 'received_direct', 'received_class'] as const;

/** The per-day series (every day of the range, zeros included) and the non-empty heatmap cells. */
function byDayAndHour(from: string, days: number, rows: Array<Record<string, unknown>>) {
  const perDay = new Map<string, number[]>();
  const cells = new Map<string, number>();
  for (const r of rows) {
    const [day = '', hour = '0'] = String(r.local_hour).split('T');
    const counts = SERIES_COLUMNS.map((c) => num(r[c]));
    const sums = perDay.get(day) ?? [0, 0, 0, 0];
    perDay.set(
      day,
      sums.map((v, i) => v + counts[i]!),
    );
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const key = `${weekday}:${Number(hour)}`;
    cells.set(key, (cells.get(key) ?? 0) + counts.reduce((n, v) => n + v, 0));
  }
  return {
    perDay: Array.from({ length: days }, (_, i) => {
      const day = addDays(from, i);
      const [sentDirect = 0, sentClass = 0, receivedDirect = 0, receivedClass = 0] = perDay.get(day) ?? [];
      return { day, sentDirect, sentClass, receivedDirect, receivedClass };
    }),
    heatmap: [...cells]
      .filter(([, messages]) => messages > 0)
      .map(([key, messages]) => {
        const [weekday, hour] = key.split(':').map(Number) as [number, number];
        return { weekday, hour, messages };
      })
      .sort((x, y) => x.weekday - y.weekday || x.hour - y.hour),
  };
}

async function classEngagement(
  ctx: MessagingContext,
  cls: { id: string; name: string },
  range: { from: string; to: string },
  tz: string,
): Promise<NonNullable<TAnalyticsReport['engagement']>> {
  const { db } = ctx;
  const bounds = sql`bounds as (select (${range.from}::date)::timestamp at time zone ${tz} as lo,
    (${range.to}::date + 1)::timestamp at time zone ${tz} as hi)`;
  const [announcements, repliers, students] = await Promise.all([
    queryRows(
      db,
      sql`with ${bounds}, ann as (
        select m.id, m.thread_id, m.seq, m.created_at, left(m.content, 120) as preview,
          coalesce(t.title, 'Announcement') as title
        from messages m join message_threads t on t.id = m.thread_id cross join bounds b
        where t.class_id = ${cls.id} and t.type = 'CLASS' and not t.students_can_reply
          and m.deleted_at is null and m.created_at >= b.lo and m.created_at < b.hi
        order by m.created_at desc limit ${ANNOUNCEMENT_LIMIT}
      )
      select a.id, a.thread_id, a.title, a.preview, a.created_at,
        count(*) as recipients,
        count(*) filter (where p.last_read_seq >= a.seq) as read_ever,
        count(*) filter (where exists (select 1 from message_read_receipts r
          where r.message_id = a.id and r.user_id = p.user_id
            and r.read_at <= a.created_at + interval '24 hours')) as read_24h,
        coalesce(array_agg(p.user_id order by p.user_id) filter (where p.last_read_seq < a.seq), '{}') as not_read
      from ann a
      join message_participants p on p.thread_id = a.thread_id and p.left_at is null
      join users u on u.id = p.user_id and u.role = 'STUDENT'
      group by a.id, a.thread_id, a.title, a.preview, a.created_at
      order by a.created_at desc`,
    ),
    // The range's whole UTC days from the rollup; its partial first and last day (a time zone's
    // midnight is not UTC's) from the messages.
    queryRows(
      db,
      sql`with ${bounds}, edges as (
        select b.lo, b.hi, case when b.lo = date_trunc('day', b.lo, 'UTC') then b.lo
            else date_trunc('day', b.lo, 'UTC') + interval '1 day' end as first_day,
          date_trunc('day', b.hi, 'UTC') as end_day
        from bounds b
      ),
      discussions as (
        select id from message_threads where class_id = ${cls.id} and type = 'CLASS' and students_can_reply
      ),
      r as (
        select sd.student_id, sd.messages as n, sd.last_at
        from analytics_student_days sd join discussions t on t.id = sd.thread_id cross join edges g
        where sd.day >= g.first_day and sd.day < g.end_day and sd.messages <> 0
        union all
        select m.sender_id, 1, m.created_at
        from messages m join discussions t on t.id = m.thread_id cross join edges g
        where m.deleted_at is null and m.created_at >= g.lo and m.created_at < least(g.first_day, g.hi)
        union all
        select m.sender_id, 1, m.created_at
        from messages m join discussions t on t.id = m.thread_id cross join edges g
        where m.deleted_at is null and m.created_at >= greatest(g.end_day, g.first_day) and m.created_at < g.hi
      )
      select u.id, u.name, sum(r.n) as replies, max(r.last_at) as last_reply_at
      from r join users u on u.id = r.student_id and u.role = 'STUDENT'
      group by u.id, u.name having sum(r.n) > 0
      order by replies desc, u.name limit 100`,
    ),
    queryRows(
      db,
      sql`select u.id, u.name,
        (select max(p.last_seen_at) from message_participants p where p.user_id = u.id) as last_active,
        (select coalesce(sum(least(t.last_message_seq - p.last_read_seq, 999)), 0)
          from message_participants p join message_threads t on t.id = p.thread_id
          where p.user_id = u.id and p.left_at is null and t.class_id = ${cls.id}) as backlog,
        (select count(*) from message_participants p
          join message_threads t on t.id = p.thread_id
            and t.class_id = ${cls.id} and t.type = 'CLASS' and not t.students_can_reply
          join messages m on m.thread_id = t.id and m.seq > p.last_read_seq and m.deleted_at is null
          where p.user_id = u.id and p.left_at is null) as announcements_unread
      from class_enrollments e join users u on u.id = e.student_id
      where e.class_id = ${cls.id} and e.left_at is null
      order by u.name limit ${ROSTER_LIMIT}`,
    ),
  ]);
  return {
    classId: cls.id,
    className: cls.name,
    announcements: announcements.map((r) => ({
      messageId: String(r.id),
      threadId: String(r.thread_id),
      title: String(r.title),
      preview: String(r.preview),
      sentAt: iso(r.created_at),
      recipients: num(r.recipients),
      readWithin24h: num(r.read_24h),
      readEver: num(r.read_ever),
      notReadIds: parseTextArray(r.not_read as string[] | string),
    })),
    repliers: repliers.map((r) => ({
      studentId: String(r.id),
      name: String(r.name),
      replies: num(r.replies),
      lastReplyAt: iso(r.last_reply_at),
    })),
    students: students.map((r) => ({
      studentId: String(r.id),
      name: String(r.name),
      lastActiveAt: r.last_active ? iso(r.last_active) : null,
      unreadBacklog: num(r.backlog),
      announcementsUnread: num(r.announcements_unread),
    })),
  };
}
