// Analytics, on PGlite and (when DATABASE_URL is set) Postgres: the rollups built from the change
// feed (a first full rebuild, then increments: +1 per send, −1 per delete) agree with a rebuild from
// scratch; the report's per-day split, hour × weekday in the reader's time zone, response times
// (answered by a co-instructor too), unanswered messages past 48 h and a class's engagement are the
// figures of a hand-made history; an ADMIN sees the platform; bad input is a 4xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTRUCTOR_OPERATIONS } from '@/app/api/_classroom/operations';
import { catchUpAnalytics, refreshAnalytics } from '@/classroom/analytics-rollup';
import { getAnalyticsReport, type TAnalyticsReport } from '@/classroom/analytics-report';
import { queryRows } from '@/db/client';
import type { Class, MessageThread, User } from '@/db/schema';
import { sql } from 'drizzle-orm';
import { deleteMessage } from '@/messaging/delete-message';
import { editMessage } from '@/messaging/edit-message';
import { markThreadRead } from '@/messaging/mark-read';
import { createMessageFeed } from '@/messaging/message-feed';
import { sendMessage } from '@/messaging/send-message';
import { toRouteHandler } from '@/server/operation';
import { createClass, createThread, createUser, enrollStudent } from '../factories';
import { BASE, installTestServices, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

const HOUR = 3_600_000;
/** A fixed "now" for the report: Wednesday 2026-03-18 15:00 UTC (11:00 in New York, EDT). */
const NOW = new Date('2026-03-18T15:00:00Z');
const at = (iso: string) => new Date(iso);

describe.each(dbKinds())('analytics on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  let maya: User;
  let jonas: User;
  let admin: User;
  let s1: User;
  let s2: User;
  let s3: User;
  let cls: Class;
  let direct: MessageThread;
  let discussion: MessageThread;
  let announcements: MessageThread;
  let otherThread: MessageThread;

  const send = (thread: MessageThread, user: User, iso: string, content = `at ${iso}`) =>
    sendMessage({ db: t.db }, { threadId: thread.id, userId: user.id, content, createdAt: at(iso) });
  /** The sequencer's passes, as the realtime layer runs them: every change gets its position. */
  const sequence = async () => {
    const feed = createMessageFeed({ db: t.db });
    while ((await feed.sequence({ limit: 500 })).length > 0);
  };
  const report = (user: User, query: Record<string, string> = {}) =>
    getAnalyticsReport(api.services, {
      userId: user.id,
      role: user.role,
      query: { range: 'custom', from: '2026-03-01', to: '2026-03-18', tz: 'UTC', ...query },
      now: NOW,
    });
  /** Every rollup's non-zero rows (and the viewer-thread pairs), in a fixed order. */
  const hours = async () => ({
    thread: await queryRows(
      t.db,
      sql`select thread_id, hour, staff_id, messages from analytics_thread_hours
        where messages <> 0 order by thread_id, hour, staff_id`,
    ),
    platform: await queryRows(
      t.db,
      sql`select hour, thread_type, from_staff, messages from analytics_platform_hours
        where messages <> 0 order by hour, thread_type, from_staff`,
    ),
    viewer: await queryRows(
      t.db,
      sql`select user_id, hour, thread_type, sent, messages from analytics_viewer_hours
        where messages <> 0 order by user_id, hour, thread_type, sent`,
    ),
    viewerThreads: await queryRows(
      t.db,
      sql`select user_id, thread_id from analytics_viewer_threads order by user_id, thread_id`,
    ),
    studentDays: await queryRows(
      t.db,
      sql`select thread_id, day, student_id, messages, last_at from analytics_student_days
        where messages <> 0 order by thread_id, day, student_id`,
    ),
    waitHours: await queryRows(
      t.db,
      sql`select viewer_id, hour, class_key, wait_ms, waits from analytics_wait_hours
        where waits <> 0 order by viewer_id, hour, class_key, wait_ms`,
    ),
    waitDays: await queryRows(
      t.db,
      sql`select viewer_id, day, class_key, wait_ms, waits from analytics_wait_days
        where waits <> 0 order by viewer_id, day, class_key, wait_ms`,
    ),
    waits: await queryRows(
      t.db,
      sql`select message_id, answered_at, answered_by_id from analytics_waits order by message_id`,
    ),
  });
  /** The incremental rollups equal a rebuild from scratch. */
  const expectMatchesRebuild = async () => {
    const incremental = await hours();
    await t.db.execute(sql`delete from analytics_state`);
    expect((await refreshAnalytics({ db: t.db })).rebuilt).toBe(true);
    expect(await hours()).toEqual(incremental);
  };

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    api = installTestServices(t.db);
    maya = await createUser(t.db, { role: 'INSTRUCTOR' });
    jonas = await createUser(t.db, { role: 'INSTRUCTOR' });
    admin = await createUser(t.db, { role: 'ADMIN' });
    [s1, s2, s3] = [await createUser(t.db), await createUser(t.db), await createUser(t.db)];
    cls = await createClass(t.db, { instructors: [{ id: maya.id }, { id: jonas.id }] });
    for (const s of [s1, s2, s3]) await enrollStudent(t.db, { classId: cls.id, studentId: s.id });
    direct = await createThread(t.db, {
      type: 'DIRECT',
      createdById: maya.id,
      participantIds: [s1.id],
      createdAt: at('2026-03-01T00:00:00Z'),
    });
    discussion = await createThread(t.db, {
      type: 'CLASS',
      classId: cls.id,
      createdById: maya.id,
      title: 'Lab questions',
      participantIds: [jonas.id, s1.id, s2.id, s3.id],
      createdAt: at('2026-03-01T00:00:00Z'),
    });
    announcements = await createThread(t.db, {
      type: 'CLASS',
      classId: cls.id,
      createdById: maya.id,
      title: 'News',
      studentsCanReply: false,
      participantIds: [s1.id, s2.id, s3.id],
      createdAt: at('2026-03-01T00:00:00Z'),
    });
    // A conversation Maya is not in: only the ADMIN's view counts it.
    const outsider = await createUser(t.db, { role: 'INSTRUCTOR' });
    const otherClass = await createClass(t.db, { instructors: [{ id: outsider.id }] });
    await enrollStudent(t.db, { classId: otherClass.id, studentId: s3.id });
    otherThread = await createThread(t.db, {
      type: 'DIRECT',
      createdById: outsider.id,
      participantIds: [s3.id],
      createdAt: at('2026-03-01T00:00:00Z'),
    });

    // Week of Mon 2026-03-09. S1 asks Maya directly at 02:30 UTC on Tue 10 (22:30 Mon in New York);
    // Maya answers 1 h later. In the discussion S2 asks, adds a follow-up an hour later (the same
    // question), and Jonas (a co-instructor) answers 4 h after the first; S1 then asks and Jonas
    // answers 2 h later. S3 asks on Sun 15 and nobody answers (> 48 h by NOW).
    await send(direct, s1, '2026-03-10T02:30:00Z');
    await send(direct, maya, '2026-03-10T03:30:00Z');
    await send(discussion, s2, '2026-03-11T10:00:00Z');
    await send(discussion, s2, '2026-03-11T11:00:00Z');
    await send(discussion, jonas, '2026-03-11T14:00:00Z');
    await send(discussion, s1, '2026-03-12T10:00:00Z');
    await send(discussion, jonas, '2026-03-12T12:00:00Z');
    await send(discussion, s3, '2026-03-15T09:00:00Z', 'Is the lab report due Friday?');
    await send(otherThread, s3, '2026-03-12T09:00:00Z');
    await sequence();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('the first run rebuilds from the messages; later runs apply the feed: +1 per send, −1 per delete', async () => {
    expect((await refreshAnalytics({ db: t.db })).rebuilt).toBe(true);
    const before = await report(maya);
    const day = (r: TAnalyticsReport, d: string) => r.perDay.find((p) => p.day === d)!;
    expect(day(before, '2026-03-10')).toEqual({
      day: '2026-03-10',
      sentDirect: 1,
      sentClass: 0,
      receivedDirect: 1,
      receivedClass: 0,
    });
    expect(day(before, '2026-03-11')).toMatchObject({ sentClass: 0, receivedClass: 3 });
    expect(day(before, '2026-03-12')).toMatchObject({ receivedClass: 2 });

    const extra = await send(direct, maya, '2026-03-10T05:00:00Z', 'one more');
    const gone = await send(discussion, s2, '2026-03-11T16:00:00Z', 'typo, deleting');
    await deleteMessage({ db: t.db }, { userId: s2.id, messageId: gone.message.id });
    await sequence();
    expect(await catchUpAnalytics({ db: t.db })).toBeGreaterThanOrEqual(3);
    const after = await report(maya);
    expect(day(after, '2026-03-10').sentDirect).toBe(2);
    expect(day(after, '2026-03-11').receivedClass).toBe(3);

    // The increments agree with a rebuild from scratch.
    expect((await hours()).viewer.length).toBeGreaterThan(0);
    await expectMatchesRebuild();
    await deleteMessage({ db: t.db }, { userId: maya.id, messageId: extra.message.id });
    await sequence();
    await catchUpAnalytics({ db: t.db });
  });

  it('days and hours are the reader’s: 02:30 UTC on Tuesday is 22:30 on Monday in New York', async () => {
    const utc = await report(maya);
    expect(utc.perDay).toHaveLength(18);
    expect(utc.heatmap).toContainEqual({ weekday: 2, hour: 2, messages: 1 });
    const ny = await report(maya, { tz: 'America/New_York' });
    expect(ny.perDay.find((d) => d.day === '2026-03-09')).toMatchObject({ receivedDirect: 1 });
    expect(ny.heatmap).toContainEqual({ weekday: 1, hour: 22, messages: 1 });
    expect(ny.range).toMatchObject({ from: '2026-03-01', to: '2026-03-18', tz: 'America/New_York' });
  });

  it('response time per class and week counts a co-instructor’s answer; unanswered messages past 48 h are listed', async () => {
    const r = await report(maya);
    const classWeek = r.responseTimes.find((x) => x.classId === cls.id && x.week === '2026-03-09')!;
    // S2's question (its follow-up is the same turn) answered after 4 h, S1's after 2 h, and S3's
    // unanswered one (Sunday ends the week).
    expect(classWeek).toMatchObject({ asked: 3, answered: 2, medianSeconds: 3 * 3600 });
    expect(classWeek.p90Seconds).toBeCloseTo(3.8 * 3600, 0);
    const directWeek = r.responseTimes.find((x) => x.classId === null && x.week === '2026-03-09')!;
    expect(directWeek).toMatchObject({
      className: 'Direct messages',
      asked: 1,
      answered: 1,
      medianSeconds: 3600,
    });
    const wholeClass = r.responseTimes.find((x) => x.classId === cls.id && x.week === null)!;
    expect(wholeClass).toMatchObject({ asked: 3, answered: 2 });

    expect(r.unanswered.total).toBe(1);
    expect(r.unanswered.items[0]).toMatchObject({
      threadId: discussion.id,
      threadTitle: 'Lab questions',
      studentName: s3.name,
      preview: 'Is the lab report due Friday?',
    });
    // Answered now: it leaves the list at the next run.
    await send(discussion, maya, '2026-03-18T14:00:00Z', 'Yes, Friday.');
    await sequence();
    await catchUpAnalytics({ db: t.db });
    expect((await report(maya)).unanswered.total).toBe(0);
  });

  it('engagement: who read each announcement within 24 h and ever, who replied, and each student’s backlog', async () => {
    const recent = new Date(Date.now() - HOUR);
    const news = await sendMessage(
      { db: t.db },
      { threadId: announcements.id, userId: maya.id, content: 'Field trip on Friday', createdAt: recent },
    );
    await markThreadRead({ db: t.db }, { userId: s1.id, threadId: announcements.id });
    const today = new Date().toISOString().slice(0, 10);
    const r = await getAnalyticsReport(api.services, {
      userId: maya.id,
      role: 'INSTRUCTOR',
      query: { range: '7', classId: cls.id, tz: 'UTC' },
    });
    expect(r.range.to).toBe(today);
    const e = r.engagement!;
    expect(e.classId).toBe(cls.id);
    const a = e.announcements.find((x) => x.messageId === news.message.id)!;
    expect(a).toMatchObject({ recipients: 3, readEver: 1, readWithin24h: 1, title: 'News' });
    expect([...a.notReadIds].sort()).toEqual([s2.id, s3.id].sort());
    const row = (u: User) => e.students.find((s) => s.studentId === u.id)!;
    expect(row(s1).announcementsUnread).toBe(0);
    expect(row(s2).announcementsUnread).toBe(1);
    expect(e.students.map((s) => s.studentId).sort()).toEqual([s1.id, s2.id, s3.id].sort());

    const march = await report(maya, { classId: cls.id });
    expect(march.engagement!.repliers.map((x) => [x.studentId, x.replies])).toEqual(
      expect.arrayContaining([
        [s2.id, 2],
        [s3.id, 1],
      ]),
    );
  });

  it('medians and p90s are percentile_cont’s, per class and week and over the whole range', async () => {
    // More waits with uneven delays in a new thread of the class, then the report against
    // PostgreSQL's own; the messages are deleted again at the end.
    const lab = await createThread(t.db, {
      type: 'CLASS',
      classId: cls.id,
      createdById: maya.id,
      title: 'Lab 2',
      participantIds: [jonas.id, s1.id, s2.id],
      createdAt: at('2026-03-01T00:00:00Z'),
    });
    const sent: Array<{ user: User; id: string }> = [];
    for (const [i, asked, answered] of [
      [1, '2026-03-14T08:00:00Z', '2026-03-14T08:07:13.250Z'],
      [2, '2026-03-16T03:00:00Z', '2026-03-16T05:31:00Z'],
      [3, '2026-03-16T09:00:00Z', '2026-03-16T09:00:41.125Z'],
      [4, '2026-03-17T01:00:00Z', '2026-03-17T01:19:00Z'],
    ] as const) {
      const student = i % 2 === 0 ? s1 : s2;
      sent.push({ user: student, id: (await send(lab, student, asked, `question ${i}`)).message.id });
      sent.push({ user: jonas, id: (await send(lab, jonas, answered, `answer ${i}`)).message.id });
    }
    await sequence();
    await catchUpAnalytics({ db: t.db });
    const tz = 'America/New_York';
    /** PostgreSQL's percentile_cont over the waits of the threads `scope` selects (id, class_id). */
    const expectedFor = (scope: ReturnType<typeof sql>) =>
      queryRows(
        t.db,
        sql`with scope as (${scope}),
          waits as (
            select s.class_id, to_char(date_trunc('week', w.asked_at at time zone ${tz}), 'YYYY-MM-DD') as week,
              extract(epoch from w.answered_at - w.asked_at) as secs, w.answered_at
            from analytics_waits w join scope s on s.id = w.thread_id
            where w.asked_at >= '2026-03-01'::timestamp at time zone ${tz}
              and w.asked_at < '2026-03-19'::timestamp at time zone ${tz})
          select class_id, week, count(*) as asked, count(answered_at) as answered,
            percentile_cont(0.5) within group (order by secs) as median_s,
            percentile_cont(0.9) within group (order by secs) as p90_s, grouping(week) as whole
          from waits group by grouping sets ((class_id, week), (class_id))`,
      );
    const expectSame = (got: TAnalyticsReport['responseTimes'], expected: Array<Record<string, unknown>>) => {
      expect(got).toHaveLength(expected.length);
      for (const e of expected) {
        const week = Number(e.whole) === 1 ? null : String(e.week);
        expect(
          got.find((g) => g.classId === ((e.class_id as string | null) ?? null) && g.week === week),
        ).toEqual(
          expect.objectContaining({
            asked: Number(e.asked),
            answered: Number(e.answered),
            medianSeconds: e.median_s === null ? null : Number(e.median_s),
            p90Seconds: e.p90_s === null ? null : Number(e.p90_s),
          }),
        );
      }
    };
    const got = (await report(maya, { tz })).responseTimes;
    expectSame(
      got,
      await expectedFor(sql`select t.id, t.class_id from message_participants mp
        join message_threads t on t.id = mp.thread_id where mp.user_id = ${maya.id} and mp.left_at is null`),
    );
    // All of Maya's threads are her class's (or DIRECT with its students): the filter changes nothing.
    expect((await report(maya, { tz, classId: cls.id })).responseTimes).toEqual(got);
    // The platform, whole and for the class (its threads and DIRECT conversations with its students).
    expectSame(
      (await report(admin, { tz })).responseTimes,
      await expectedFor(sql`select id, class_id from message_threads`),
    );
    expectSame(
      (await report(admin, { tz, classId: cls.id })).responseTimes,
      await expectedFor(sql`select t.id, t.class_id from message_threads t where t.class_id = ${cls.id}
        or (t.type = 'DIRECT' and exists (select 1 from message_participants p
          join class_enrollments e on e.student_id = p.user_id and e.class_id = ${cls.id} and e.left_at is null
          where p.thread_id = t.id))`),
    );
    expect(got.find((g) => g.classId === cls.id && g.week === '2026-03-16')?.asked).toBeGreaterThanOrEqual(2);
    for (const m of sent) await deleteMessage({ db: t.db }, { userId: m.user.id, messageId: m.id });
    await sequence();
    await catchUpAnalytics({ db: t.db });
  });

  it('who replied: whole UTC days from the rollup, a time zone’s partial first and last day from the messages', async () => {
    const repliers = async (query: Record<string, string>) =>
      (await report(maya, { classId: cls.id, ...query })).engagement!.repliers.map((x) => [
        x.studentId,
        x.replies,
        x.lastReplyAt,
      ]);
    // Tokyo's 11 March ends at 15:00 UTC: S2's two messages that morning (UTC) are in, S1's of the 12th not.
    expect(await repliers({ tz: 'Asia/Tokyo', to: '2026-03-11' })).toEqual([
      [s2.id, 2, '2026-03-11T11:00:00.000Z'],
    ]);
    // Los Angeles' 12 March starts at 07:00 UTC: S1's 10:00 message is in, S2's of the 11th not.
    expect(await repliers({ tz: 'America/Los_Angeles', from: '2026-03-12' })).toEqual(
      expect.arrayContaining([
        [s1.id, 1, '2026-03-12T10:00:00.000Z'],
        [s3.id, 1, '2026-03-15T09:00:00.000Z'],
      ]),
    );
    expect(await repliers({ tz: 'America/Los_Angeles', from: '2026-03-12' })).toHaveLength(2);
  });

  it('the per-viewer rollup follows sends, edits, deletes and who is in a thread, and matches a rebuild', async () => {
    await sequence();
    await catchUpAnalytics({ db: t.db });
    // Jonas joins Maya's DIRECT thread with S1: its whole history becomes his (received) messages.
    const before = await report(jonas);
    const receivedDirect = (r: TAnalyticsReport) => r.perDay.reduce((n, d) => n + d.receivedDirect, 0);
    const sentDirect = (r: TAnalyticsReport) => r.perDay.reduce((n, d) => n + d.sentDirect, 0);
    await t.db.execute(
      sql`insert into message_participants (thread_id, user_id) values (${direct.id}, ${jonas.id})`,
    );
    await catchUpAnalytics({ db: t.db });
    const joined = await report(jonas);
    const directNow = (await report(maya)).perDay.reduce((n, d) => n + d.sentDirect + d.receivedDirect, 0);
    expect(receivedDirect(joined)).toBe(receivedDirect(before) + directNow);
    await expectMatchesRebuild();

    // He sends in the discussion; S1 writes in the DIRECT thread, edits it, and deletes another. Each
    // lands on his rows and Maya's at the next run.
    const sentClass = (r: TAnalyticsReport) => r.perDay.reduce((n, d) => n + d.sentClass, 0);
    const receivedClass = (r: TAnalyticsReport) => r.perDay.reduce((n, d) => n + d.receivedClass, 0);
    const mayaBefore = await report(maya);
    // (The discussion's last message is at 14:00 on the 18th; a thread's times only go forward.)
    const mine = await send(discussion, jonas, '2026-03-18T14:30:00Z', 'joining in');
    const s1Msg = await send(direct, s1, '2026-03-13T10:00:00Z', 'thanks');
    await editMessage(
      { db: t.db },
      { userId: s1.id, messageId: s1Msg.message.id, input: { content: 'thanks!' } },
    );
    const gone = await send(direct, s1, '2026-03-13T11:00:00Z', 'oops');
    await deleteMessage({ db: t.db }, { userId: s1.id, messageId: gone.message.id });
    await sequence();
    await catchUpAnalytics({ db: t.db });
    const after = await report(jonas);
    expect(sentClass(after)).toBe(sentClass(joined) + 1);
    expect(receivedDirect(after)).toBe(receivedDirect(joined) + 1);
    const mayaAfter = await report(maya);
    expect(receivedClass(mayaAfter)).toBe(receivedClass(mayaBefore) + 1);
    expect(mayaAfter.perDay.find((d) => d.day === '2026-03-13')).toMatchObject({ receivedDirect: 1 });
    await expectMatchesRebuild();

    // He leaves: the thread's history leaves his figures again.
    await t.db.execute(
      sql`update message_participants set left_at = now() where thread_id = ${direct.id} and user_id = ${jonas.id}`,
    );
    await catchUpAnalytics({ db: t.db });
    const left = await report(jonas);
    expect(sentDirect(left)).toBe(sentDirect(before));
    expect(receivedDirect(left)).toBe(receivedDirect(before));
    expect(sentClass(left)).toBe(sentClass(before) + 1);
    await expectMatchesRebuild();
    await deleteMessage({ db: t.db }, { userId: jonas.id, messageId: mine.message.id });
    await deleteMessage({ db: t.db }, { userId: s1.id, messageId: s1Msg.message.id });
    await sequence();
    await catchUpAnalytics({ db: t.db });
    await expectMatchesRebuild();
  });

  it('an ADMIN sees the whole platform; an instructor only their threads', async () => {
    const mine = await report(maya);
    const platform = await report(admin);
    expect(platform.scope).toBe('platform');
    const received = (r: TAnalyticsReport) => r.perDay.reduce((n, d) => n + d.receivedDirect, 0);
    // S3's message in the outsider's DIRECT thread is the platform's, not Maya's.
    expect(received(platform)).toBe(received(mine) + 1);
  });

  it('over HTTP: 200 for an instructor, 400 for a bad time zone or range, 404 for a class not taught, 403 for a student', async () => {
    const op = INSTRUCTOR_OPERATIONS.find((o) => o.path === '/analytics')!;
    const handler = toRouteHandler(op, { area: 'instructor' });
    const get = async (user: User, query: string) =>
      handler(
        new Request(`${BASE}/api/instructor/analytics?${query}`, {
          headers: { cookie: await api.cookieFor(user) },
        }),
        { params: Promise.resolve({}) },
      );
    const ok = await get(maya, 'range=30&tz=Europe/Berlin');
    expect(ok.status).toBe(200);
    expect((await ok.json()).data.perDay).toHaveLength(30);
    const badTz = await get(maya, 'tz=Mars/Olympus');
    expect(badTz.status).toBe(400);
    expect((await badTz.json()).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { tz: expect.any(Array) },
    });
    expect((await get(maya, 'range=custom&from=2026-03-10&to=2026-03-01')).status).toBe(400);
    expect((await get(maya, 'range=custom&from=2024-01-01&to=2026-03-01')).status).toBe(400);
    expect((await get(maya, 'range=12')).status).toBe(400);
    expect((await get(maya, 'classId=not-a-class')).status).toBe(404);
    expect((await get(s1, 'range=7')).status).toBe(403);
  });
});
