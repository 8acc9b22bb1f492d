// The routes the messaging UI composes with, through their real Next route handlers (both areas),
// with real better-auth sessions, on PGlite and (when DATABASE_URL is set) Postgres: who the caller
// may start a DIRECT thread with (the same rule as createThread's), the classes an instructor may
// start a CLASS thread in, and the inbox's unread totals. Also: the send limit the services carry.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as iMessageRead from '@/app/api/instructor/messages/[messageId]/read/route';
import * as iMessage from '@/app/api/instructor/messages/[messageId]/route';
import * as iClasses from '@/app/api/instructor/messages/classes/route';
import * as iRecipients from '@/app/api/instructor/messages/recipients/route';
import * as iMessages from '@/app/api/instructor/messages/threads/[threadId]/messages/route';
import * as iThreadRead from '@/app/api/instructor/messages/threads/[threadId]/read/route';
import * as iThread from '@/app/api/instructor/messages/threads/[threadId]/route';
import * as iUnread from '@/app/api/instructor/messages/unread/route';
import * as sRecipients from '@/app/api/user/messages/recipients/route';
import * as sThreadRead from '@/app/api/user/messages/threads/[threadId]/read/route';
import * as sUnread from '@/app/api/user/messages/unread/route';
import { messageParticipants, users, type Class, type User } from '@/db/schema';
import { getInstructorDashboardStats } from '@/classroom/instructor-queries';
import { ZUnreadTotals } from '@/messaging/count-unread';
import { createThread as createThreadDomain, type TCreateThreadInput } from '@/messaging/create-thread';
import { removeEnrollment } from '@/classroom/enroll-student';
import { ZRecipientPage, type TRecipient } from '@/messaging/list-recipients';
import { canStartDirect } from '@/messaging/policies';
import { sendMessage as sendMessageDomain } from '@/messaging/send-message';
import { updateThreadSettings } from '@/messaging/update-thread-settings';
import { sharesClassSql } from '@/messaging/verify-message-access';
import { ZErrorBody } from '@/server/operation';
import { createMemoryRateLimiter } from '@/platform/rate-limit';
import { setAppServices } from '@/server/services';
import { createClass, createUser, enrollStudent } from '../factories';
import { call, installTestServices, type CallResult, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

type Handler = Parameters<typeof call>[0];
type AreaName = 'instructor' | 'student';

interface Route {
  area: AreaName;
  path: string;
  handler: Handler;
}

const R = {
  iRecipients: { area: 'instructor', path: '/api/instructor/messages/recipients', handler: iRecipients.GET },
  iClasses: { area: 'instructor', path: '/api/instructor/messages/classes', handler: iClasses.GET },
  iUnread: { area: 'instructor', path: '/api/instructor/messages/unread', handler: iUnread.GET },
  sRecipients: { area: 'student', path: '/api/user/messages/recipients', handler: sRecipients.GET },
  sUnread: { area: 'student', path: '/api/user/messages/unread', handler: sUnread.GET },
} satisfies Record<string, Route>;
const ALL_ROUTES: Route[] = Object.values(R);

const ZTaughtClasses = z.object({
  classes: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      code: z.string(),
      isPrimary: z.boolean(),
      enrolledCount: z.number().int(),
    }),
  ),
});

function expectError(res: CallResult, status: number, code: string, field?: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  const body = ZErrorBody.parse(res.body);
  if (field) expect(Object.keys(body.error.fields ?? {})).toContain(field);
  return body;
}

describe.each(dbKinds())('messaging compose API on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  const answered = new Map<Route, number[]>();

  // The world: Algebra I (Maya primary, Jonas co) with Sam, Aisha and Liam (who left); Biology
  // (Maya) with Sam; Chemistry (Olga) with Oscar; an admin teaching Art with Aisha; Nora, a
  // student in no class.
  let maya: User;
  let jonas: User;
  let olga: User;
  let admin: User;
  let sam: User;
  let aisha: User;
  let liam: User;
  let oscar: User;
  let nora: User;
  let algebra: Class;
  let biology: Class;
  let chemistry: Class;
  let art: Class;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    api = installTestServices(t.db, { rateLimiter: createMemoryRateLimiter() });
    maya = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Maya Primary' });
    jonas = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Jonas Co' });
    olga = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Olga Outside' });
    admin = await createUser(t.db, { role: 'ADMIN', name: 'Ada Admin' });
    sam = await createUser(t.db, { name: 'Sam Rivera' });
    aisha = await createUser(t.db, { name: 'Aisha Khan', email: 'aisha.khan@school.example' });
    liam = await createUser(t.db, { name: 'Liam Murphy' });
    oscar = await createUser(t.db, { name: 'Oscar Outside' });
    nora = await createUser(t.db, { name: 'Nora Nowhere' });
    algebra = await createClass(t.db, {
      name: 'Algebra I',
      instructors: [{ id: maya.id }, { id: jonas.id }],
    });
    biology = await createClass(t.db, { name: 'Biology', instructors: [{ id: maya.id }] });
    chemistry = await createClass(t.db, { name: 'Chemistry', instructors: [{ id: olga.id }] });
    art = await createClass(t.db, { name: 'Art', instructors: [{ id: admin.id }] });
    for (const s of [sam, aisha, liam]) await enrollStudent(t.db, { classId: algebra.id, studentId: s.id });
    await enrollStudent(t.db, { classId: biology.id, studentId: sam.id });
    await enrollStudent(t.db, { classId: chemistry.id, studentId: oscar.id });
    await enrollStudent(t.db, { classId: art.id, studentId: aisha.id });
    await removeEnrollment({ db: t.db }, { classId: algebra.id, studentId: liam.id });
    for (const u of [maya, jonas, olga, admin, sam, aisha, liam, oscar, nora]) await api.cookieFor(u);
  });
  afterAll(async () => {
    await api?.services.rateLimiter.close();
    await t?.dispose();
  });

  async function hit(
    route: Route,
    user: User | null,
    query: Record<string, string> = {},
  ): Promise<CallResult> {
    const cookie = user ? await api.cookieFor(user) : undefined;
    const res = await call(route.handler, route.path, { cookie, query, method: 'GET' });
    answered.set(route, [...(answered.get(route) ?? []), res.status]);
    return res;
  }

  async function recipients(user: User, query: Record<string, string> = {}) {
    const route = user.role === 'STUDENT' ? R.sRecipients : R.iRecipients;
    const res = await hit(route, user, query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ZRecipientPage.parse(res.body.data);
  }
  const names = (list: TRecipient[]) => list.map((r) => r.name);

  async function unread(user: User) {
    const res = await hit(user.role === 'STUDENT' ? R.sUnread : R.iUnread, user);
    expect(res.status).toBe(200);
    return ZUnreadTotals.strict().parse(res.body.data);
  }

  const setupThread = (actorId: string, input: TCreateThreadInput) =>
    createThreadDomain({ db: t.db }, { userId: actorId, input });
  const setupSend = async (threadId: string, senderId: string, content: string) =>
    (await sendMessageDomain({ db: t.db }, { threadId, userId: senderId, content })).message;

  // ---- recipients -------------------------------------------------------------------------------

  it('an instructor gets the current students of their classes, each with the classes they share', async () => {
    const page = await recipients(maya);
    expect(page.nextCursor).toBeNull();
    expect(page.recipients).toEqual([
      {
        id: aisha.id,
        name: 'Aisha Khan',
        role: 'STUDENT',
        classes: [{ id: algebra.id, name: 'Algebra I', code: algebra.code }],
        directThreadId: null,
      },
      {
        id: sam.id,
        name: 'Sam Rivera',
        role: 'STUDENT',
        classes: [
          { id: algebra.id, name: 'Algebra I', code: algebra.code },
          { id: biology.id, name: 'Biology', code: biology.code },
        ],
        directThreadId: null,
      },
    ]);
    // Liam left Algebra; Oscar and Nora are not Maya's; no instructor is listed.
    expect(names((await recipients(jonas)).recipients)).toEqual(['Aisha Khan', 'Sam Rivera']);
    expect((await recipients(jonas)).recipients[1]!.classes.map((c) => c.name)).toEqual(['Algebra I']);
    expect(names((await recipients(olga)).recipients)).toEqual(['Oscar Outside']);
  });

  it('an admin acting as an instructor gets the students of the classes they teach', async () => {
    const page = await recipients(admin);
    expect(page.recipients.map((r) => [r.name, r.classes.map((c) => c.name)])).toEqual([
      ['Aisha Khan', ['Art']],
    ]);
  });

  it('a student gets the instructors of their current classes, and no other student', async () => {
    expect(
      (await recipients(sam)).recipients.map((r) => [r.name, r.role, r.classes.map((c) => c.name)]),
    ).toEqual([
      ['Jonas Co', 'INSTRUCTOR', ['Algebra I']],
      ['Maya Primary', 'INSTRUCTOR', ['Algebra I', 'Biology']],
    ]);
    expect(names((await recipients(aisha)).recipients)).toEqual(['Ada Admin', 'Jonas Co', 'Maya Primary']);
    expect((await recipients(liam)).recipients).toEqual([]);
    expect((await recipients(nora)).recipients).toEqual([]);
    expect(names((await recipients(oscar)).recipients)).toEqual(['Olga Outside']);
  });

  it('lists exactly the people createThread lets the caller start a DIRECT thread with', async () => {
    const everyone = [maya, jonas, olga, admin, sam, aisha, liam, oscar, nora];
    for (const caller of everyone) {
      const rows = await t.db
        .select({
          id: users.id,
          role: users.role,
          shares: sharesClassSql(sql`${caller.id}`, sql`${users.id}`),
        })
        .from(users);
      const allowed = rows
        .filter((u) => canStartDirect(caller, u, Boolean(u.shares)))
        .map((u) => u.id)
        .sort();
      const listed = (await recipients(caller, { limit: '50' })).recipients.map((r) => r.id).sort();
      expect(listed, caller.name).toEqual(allowed);
    }
  });

  it('searches names and emails case-insensitively, with LIKE wildcards taken literally', async () => {
    expect(names((await recipients(maya, { q: '  sAm ' })).recipients)).toEqual(['Sam Rivera']);
    expect(names((await recipients(maya, { q: 'SCHOOL.EXAMPLE' })).recipients)).toEqual(['Aisha Khan']);
    expect(names((await recipients(sam, { q: 'primary' })).recipients)).toEqual(['Maya Primary']);
    // Only the caller's own people are searched.
    expect((await recipients(maya, { q: 'Liam' })).recipients).toEqual([]);
    expect((await recipients(maya, { q: 'Oscar' })).recipients).toEqual([]);
    expect((await recipients(maya, { q: '%' })).recipients).toEqual([]);
    expect((await recipients(maya, { q: '_' })).recipients).toEqual([]);
    // An empty search is no search.
    expect(names((await recipients(maya, { q: '   ' })).recipients)).toEqual(['Aisha Khan', 'Sam Rivera']);
  });

  it('pages on (name, id) without repeats or gaps, same names included, and search pages too', async () => {
    const teacher = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Paging Teacher' });
    const classA = await createClass(t.db, { name: 'Paging A', instructors: [{ id: teacher.id }] });
    const classB = await createClass(t.db, { name: 'Paging B', instructors: [{ id: teacher.id }] });
    const pupils: User[] = [];
    for (const name of ['Zoe', 'Pat Lee', 'Pat Lee', 'Pat Lee', 'Ben', 'Cleo', 'Dan']) {
      pupils.push(await createUser(t.db, { name }));
    }
    for (const [i, p] of pupils.entries()) {
      // Everyone in A, every other one in B too: listed once, with both classes.
      await enrollStudent(t.db, { classId: classA.id, studentId: p.id });
      if (i % 2 === 0) await enrollStudent(t.db, { classId: classB.id, studentId: p.id });
    }
    await api.cookieFor(teacher);

    const all = (await recipients(teacher, { limit: '50' })).recipients;
    expect(all).toHaveLength(7);
    expect(names(all)).toEqual(['Ben', 'Cleo', 'Dan', 'Pat Lee', 'Pat Lee', 'Pat Lee', 'Zoe']);
    for (const [i, p] of pupils.entries()) {
      expect(all.find((r) => r.id === p.id)!.classes.map((c) => c.name)).toEqual(
        i % 2 === 0 ? ['Paging A', 'Paging B'] : ['Paging A'],
      );
    }

    const walk = async (query: Record<string, string>) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await recipients(teacher, { ...query, limit: '2', ...(cursor ? { cursor } : {}) });
        expect(page.recipients.length).toBeLessThanOrEqual(2);
        seen.push(...page.recipients.map((r) => r.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      return seen;
    };
    const seen = await walk({});
    expect(seen).toEqual(all.map((r) => r.id));
    expect(new Set(seen).size).toBe(7);

    const pats = await walk({ q: 'pat' });
    expect(pats).toEqual(all.filter((r) => r.name === 'Pat Lee').map((r) => r.id));

    // A last page that is exactly full has no next cursor.
    const exact = await recipients(teacher, { limit: '7' });
    expect([exact.recipients.length, exact.nextCursor]).toEqual([7, null]);
    // The default page size is 20.
    expect((await recipients(teacher)).recipients).toHaveLength(7);
  });

  it('carries the existing DIRECT thread, on both sides, while the caller is still in it', async () => {
    const { thread } = await setupThread(jonas.id, {
      type: 'DIRECT',
      recipientId: sam.id,
      content: 'Hi Sam',
    });
    const forJonas = (await recipients(jonas)).recipients;
    expect(forJonas.map((r) => [r.name, r.directThreadId])).toEqual([
      ['Aisha Khan', null],
      ['Sam Rivera', thread.id],
    ]);
    const forSam = (await recipients(sam)).recipients;
    expect(forSam.map((r) => [r.name, r.directThreadId])).toEqual([
      ['Jonas Co', thread.id],
      ['Maya Primary', null],
    ]);
    // A CLASS thread they are both in is not a DIRECT thread.
    await setupThread(maya.id, {
      type: 'CLASS',
      classId: algebra.id,
      title: 'Not direct',
      kind: 'discussion',
      content: 'Hello class',
    });
    expect((await recipients(maya)).recipients.map((r) => r.directThreadId)).toEqual([null, null]);
    expect((await recipients(jonas)).recipients[1]!.directThreadId).toBe(thread.id);

    // Once Sam has left the thread, it is not offered to him (Jonas still sees it).
    await t.db
      .update(messageParticipants)
      .set({ leftAt: new Date() })
      .where(and(eq(messageParticipants.threadId, thread.id), eq(messageParticipants.userId, sam.id)));
    expect((await recipients(sam)).recipients[0]).toMatchObject({ name: 'Jonas Co', directThreadId: null });
    expect((await recipients(jonas)).recipients[1]).toMatchObject({ directThreadId: thread.id });
    await t.db
      .update(messageParticipants)
      .set({ leftAt: null })
      .where(and(eq(messageParticipants.threadId, thread.id), eq(messageParticipants.userId, sam.id)));
  });

  it('answers a bad query with 400 VALIDATION_FAILED naming the field', async () => {
    const bad: Array<[Record<string, string>, string]> = [
      [{ limit: '0' }, 'limit'],
      [{ limit: '51' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ limit: '2.5' }, 'limit'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ cursor: Buffer.from('x.Name\u0000', 'utf8').toString('base64url') }, 'cursor'],
      [{ q: 'x'.repeat(101) }, 'q'],
      [{ q: 'a\u0000b' }, 'q'],
    ];
    for (const [query, field] of bad) {
      expectError(await hit(R.iRecipients, maya, query), 400, 'VALIDATION_FAILED', field);
      expectError(await hit(R.sRecipients, sam, query), 400, 'VALIDATION_FAILED', field);
    }
    // 100 characters is fine.
    expect((await hit(R.iRecipients, maya, { q: 'x'.repeat(100) })).status).toBe(200);
  });

  // ---- classes ----------------------------------------------------------------------------------

  it('lists the classes an instructor teaches, by name, with isPrimary and current enrolment', async () => {
    const res = await hit(R.iClasses, maya);
    expect(res.status).toBe(200);
    expect(ZTaughtClasses.parse(res.body.data)).toEqual({
      classes: [
        { id: algebra.id, name: 'Algebra I', code: algebra.code, isPrimary: true, enrolledCount: 2 },
        { id: biology.id, name: 'Biology', code: biology.code, isPrimary: true, enrolledCount: 1 },
      ],
    });
    const co = ZTaughtClasses.parse((await hit(R.iClasses, jonas)).body.data);
    expect(co.classes.map((c) => [c.name, c.isPrimary])).toEqual([['Algebra I', false]]);
    const byAdmin = ZTaughtClasses.parse((await hit(R.iClasses, admin)).body.data);
    expect(byAdmin.classes.map((c) => [c.name, c.isPrimary, c.enrolledCount])).toEqual([['Art', true, 1]]);
    const nobody = await createUser(t.db, { role: 'INSTRUCTOR' });
    expect((await hit(R.iClasses, nobody)).body.data).toEqual({ classes: [] });
  });

  // ---- unread -----------------------------------------------------------------------------------

  it('counts unread messages and threads, leaving out muted and archived threads, and follows mark-read', async () => {
    const teacher = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Unread Teacher' });
    const kid1 = await createUser(t.db, { name: 'Kid One' });
    const kid2 = await createUser(t.db, { name: 'Kid Two' });
    const cls = await createClass(t.db, { name: 'Unread Class', instructors: [{ id: teacher.id }] });
    for (const k of [kid1, kid2]) await enrollStudent(t.db, { classId: cls.id, studentId: k.id });
    expect(await unread(teacher)).toEqual({ unreadMessages: 0, unreadThreads: 0 });

    const d1 = (await setupThread(teacher.id, { type: 'DIRECT', recipientId: kid1.id, content: 'Hi 1' }))
      .thread;
    const d2 = (await setupThread(teacher.id, { type: 'DIRECT', recipientId: kid2.id, content: 'Hi 2' }))
      .thread;
    const disc = (
      await setupThread(teacher.id, {
        type: 'CLASS',
        classId: cls.id,
        title: 'Discussion',
        kind: 'discussion',
        content: 'Talk',
      })
    ).thread;
    expect(await unread(teacher)).toEqual({ unreadMessages: 0, unreadThreads: 0 });
    expect(await unread(kid1)).toEqual({ unreadMessages: 2, unreadThreads: 2 });

    await setupSend(d1.id, kid1.id, 'Question 1');
    const deleted = await setupSend(d1.id, kid1.id, 'Question 2');
    await setupSend(d1.id, kid1.id, 'Question 3');
    await setupSend(d2.id, kid2.id, 'Hello');
    await setupSend(disc.id, kid1.id, 'Idea A');
    await setupSend(disc.id, kid2.id, 'Idea B');
    await setupSend(disc.id, kid2.id, 'Idea C');
    expect(await unread(teacher)).toEqual({ unreadMessages: 7, unreadThreads: 3 });

    // A deleted message is not unread.
    await t.db.execute(sql`update messages set deleted_at = now() where id = ${deleted.id}`);
    expect(await unread(teacher)).toEqual({ unreadMessages: 6, unreadThreads: 3 });

    // Muted and archived threads leave the inbox's totals; the dashboard still counts them.
    await updateThreadSettings({ db: t.db }, { userId: teacher.id, threadId: d2.id, input: { muted: true } });
    await updateThreadSettings(
      { db: t.db },
      { userId: teacher.id, threadId: disc.id, input: { archived: true } },
    );
    expect(await unread(teacher)).toEqual({ unreadMessages: 2, unreadThreads: 1 });
    expect((await getInstructorDashboardStats({ db: t.db }, { userId: teacher.id })).unreadMessages).toBe(6);
    // The teacher's settings are the teacher's: Kid One still counts the archived discussion (their
    // own sends moved their pointers past everything before them).
    expect(await unread(kid1)).toEqual({ unreadMessages: 2, unreadThreads: 1 });

    // Reading through the API moves the totals.
    const read = await call(iThreadRead.POST, `/api/instructor/messages/threads/${d1.id}/read`, {
      cookie: await api.cookieFor(teacher),
      params: { threadId: d1.id },
      body: {},
    });
    expect(read.status).toBe(200);
    expect(await unread(teacher)).toEqual({ unreadMessages: 0, unreadThreads: 0 });

    // Unmuting brings the muted thread's unread back; a new message un-archives the discussion.
    await updateThreadSettings(
      { db: t.db },
      { userId: teacher.id, threadId: d2.id, input: { muted: false } },
    );
    expect(await unread(teacher)).toEqual({ unreadMessages: 1, unreadThreads: 1 });
    await setupSend(disc.id, kid1.id, 'Idea D');
    expect(await unread(teacher)).toEqual({ unreadMessages: 5, unreadThreads: 2 });

    // The student side: the teacher answers in two threads, and Kid Two reads one through the API.
    await setupSend(d2.id, teacher.id, 'Reply');
    await setupSend(disc.id, teacher.id, 'Summary');
    expect(await unread(kid2)).toEqual({ unreadMessages: 3, unreadThreads: 2 });
    const kidRead = await call(sThreadRead.POST, `/api/user/messages/threads/${d2.id}/read`, {
      cookie: await api.cookieFor(kid2),
      params: { threadId: d2.id },
      body: {},
    });
    expect(kidRead.status).toBe(200);
    expect(await unread(kid2)).toEqual({ unreadMessages: 2, unreadThreads: 1 });

    // A student who leaves the class leaves its threads, and their unread with them.
    await removeEnrollment({ db: t.db }, { classId: cls.id, studentId: kid2.id });
    expect(await unread(kid2)).toEqual({ unreadMessages: 0, unreadThreads: 0 });
  });

  // ---- the send limit comes from the services ---------------------------------------------------

  it('applies the send limit the services carry (MESSAGE_RATE_LIMIT_PER_MINUTE)', async () => {
    const teacher = await createUser(t.db, { role: 'INSTRUCTOR' });
    const kid = await createUser(t.db);
    const cls = await createClass(t.db, { instructors: [{ id: teacher.id }] });
    await enrollStudent(t.db, { classId: cls.id, studentId: kid.id });
    const { thread } = await setupThread(teacher.id, { type: 'DIRECT', recipientId: kid.id, content: 'Hi' });
    const limiter = createMemoryRateLimiter();
    setAppServices({ ...api.services, rateLimiter: limiter, sendRateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const cookie = await api.cookieFor(teacher);
      const post = (content: string) =>
        call(iMessages.POST, `/api/instructor/messages/threads/${thread.id}/messages`, {
          cookie,
          params: { threadId: thread.id },
          body: { content },
        });
      expect((await post('one')).status).toBe(201);
      expect((await post('two')).status).toBe(201);
      expectError(await post('three'), 429, 'RATE_LIMITED');
    } finally {
      setAppServices(api.services);
      await limiter.close();
    }
  });

  // ---- guards -----------------------------------------------------------------------------------

  it('refuses the other area (403 FORBIDDEN) and a missing or forged session (401 UNAUTHORIZED)', async () => {
    const intruders: Record<AreaName, User[]> = { instructor: [sam, nora], student: [maya, jonas, admin] };
    for (const route of ALL_ROUTES) {
      for (const u of intruders[route.area]) expectError(await hit(route, u), 403, 'FORBIDDEN');
      expectError(await hit(route, null), 401, 'UNAUTHORIZED');
      const forged = await call(route.handler, route.path, {
        cookie: 'better-auth.session_token=not-a-session.forged',
      });
      expectError(forged, 401, 'UNAUTHORIZED');
      answered.set(route, [...(answered.get(route) ?? []), forged.status]);
    }
  });

  it('the static segments are never a message id: the [messageId] handlers find no such message', async () => {
    const cookie = await api.cookieFor(maya);
    for (const segment of ['recipients', 'classes', 'unread']) {
      const url = `/api/instructor/messages/${segment}`;
      const params = { messageId: segment };
      for (const res of [
        await call(iMessage.PATCH, url, { cookie, params, method: 'PATCH', body: { content: 'x' } }),
        await call(iMessage.DELETE, url, { cookie, params, method: 'DELETE' }),
        await call(iMessageRead.POST, `${url}/read`, { cookie, params, body: {} }),
      ]) {
        expectError(res, 404, 'NOT_FOUND');
      }
    }
    // And the thread routes are untouched by them.
    expect(
      (
        await call(iThread.GET, '/api/instructor/messages/threads/unread', {
          cookie,
          params: { threadId: 'unread' },
        })
      ).status,
    ).toBe(404);
  });

  it('exercised every compose route with a success and with errors', () => {
    for (const route of ALL_ROUTES) {
      const statuses = answered.get(route) ?? [];
      expect(
        statuses.some((s) => s === 200),
        route.path,
      ).toBe(true);
      expect(statuses, route.path).toContain(401);
      expect(statuses, route.path).toContain(403);
      expect(
        statuses.every((s) => s < 500),
        route.path,
      ).toBe(true);
    }
  });
});
