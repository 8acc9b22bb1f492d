// The messaging REST API through its real Next route handlers (both areas), with real better-auth
// sessions, on PGlite and (when DATABASE_URL is set) Postgres: every route's happy path, the area
// guards, 404s for foreign ids that look exactly like 404s for ids that do not exist, the 403 reason
// codes, 400s that never become 500s, idempotent sends, the send rate limit, and the OpenAPI document.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as iMessageRead from '@/app/api/instructor/messages/[messageId]/read/route';
import * as iMessage from '@/app/api/instructor/messages/[messageId]/route';
import * as iMessages from '@/app/api/instructor/messages/threads/[threadId]/messages/route';
import * as iThreadRead from '@/app/api/instructor/messages/threads/[threadId]/read/route';
import * as iThread from '@/app/api/instructor/messages/threads/[threadId]/route';
import * as iThreads from '@/app/api/instructor/messages/threads/route';
import * as openapi from '@/app/api/openapi.json/route';
import * as sMessageRead from '@/app/api/user/messages/[messageId]/read/route';
import * as sMessage from '@/app/api/user/messages/[messageId]/route';
import * as sMessages from '@/app/api/user/messages/threads/[threadId]/messages/route';
import * as sThreadRead from '@/app/api/user/messages/threads/[threadId]/read/route';
import * as sThread from '@/app/api/user/messages/threads/[threadId]/route';
import * as sThreads from '@/app/api/user/messages/threads/route';
import {
  messageParticipants,
  messageReadReceipts,
  messageThreads,
  messages,
  type Class,
  type User,
} from '@/db/schema';
import { createThread as createThreadDomain, type TCreateThreadInput } from '@/messaging/create-thread';
import { ZMessage, ZThreadRef, ZThreadSummary } from '@/messaging/dto';
import { removeEnrollment } from '@/classroom/enroll-student';
import { ZThreadDetail } from '@/messaging/get-thread';
import { ZMessagePage } from '@/messaging/list-messages';
import { ZReadState } from '@/messaging/mark-read';
import { DOMAIN_ERRORS } from '@/messaging/errors';
import { sendMessage as sendMessageDomain } from '@/messaging/send-message';
import { ZErrorBody } from '@/server/operation';
import { createMemoryRateLimiter } from '@/platform/rate-limit';
import { setAppServices } from '@/server/services';
import { createClass, createDirectPair, createUser, enrollStudent } from '../factories';
import { call, installTestServices, type CallResult, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

// ---- the route handlers under test --------------------------------------------------------------

type Handler = Parameters<typeof call>[0];
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type AreaName = 'instructor' | 'student';

interface Route {
  area: AreaName;
  name: string;
  method: Method;
  /** OpenAPI style: /api/instructor/messages/threads/{threadId} */
  path: string;
  handler: Handler;
}

const MODULES = {
  instructor: {
    prefix: '/api/instructor/messages',
    threads: iThreads,
    thread: iThread,
    messages: iMessages,
    threadRead: iThreadRead,
    message: iMessage,
    messageRead: iMessageRead,
  },
  student: {
    prefix: '/api/user/messages',
    threads: sThreads,
    thread: sThread,
    messages: sMessages,
    threadRead: sThreadRead,
    message: sMessage,
    messageRead: sMessageRead,
  },
};

function areaRoutes(area: AreaName) {
  const m = MODULES[area];
  const r = (name: string, method: Method, p: string, handler: Handler): Route => ({
    area,
    name,
    method,
    path: m.prefix + p,
    handler,
  });
  return {
    listThreads: r('listThreads', 'GET', '/threads', m.threads.GET),
    postThreads: r('postThreads', 'POST', '/threads', m.threads.POST),
    getThread: r('getThread', 'GET', '/threads/{threadId}', m.thread.GET),
    updateThread: r('updateThread', 'PUT', '/threads/{threadId}', m.thread.PUT),
    archiveThread: r('archiveThread', 'DELETE', '/threads/{threadId}', m.thread.DELETE),
    listMessages: r('listMessages', 'GET', '/threads/{threadId}/messages', m.messages.GET),
    sendMessage: r('sendMessage', 'POST', '/threads/{threadId}/messages', m.messages.POST),
    readThread: r('readThread', 'POST', '/threads/{threadId}/read', m.threadRead.POST),
    editMessage: r('editMessage', 'PATCH', '/{messageId}', m.message.PATCH),
    deleteMessage: r('deleteMessage', 'DELETE', '/{messageId}', m.message.DELETE),
    readMessage: r('readMessage', 'POST', '/{messageId}/read', m.messageRead.POST),
  };
}

const I = areaRoutes('instructor');
const S = areaRoutes('student');
const ALL_ROUTES: Route[] = [...Object.values(I), ...Object.values(S)];
/** The compose routes (recipients, classes, unread), driven by messaging-compose-api.test.ts, and the files routes. */
const COMPOSE_ROUTES = [
  'GET /api/instructor/messages/recipients',
  'GET /api/instructor/messages/classes',
  'GET /api/instructor/messages/unread',
  'GET /api/user/messages/recipients',
  'GET /api/user/messages/unread',
  'GET /api/instructor/dashboard',
  // The files routes (upload, Materials), driven by attachments.test.ts.
  'POST /api/instructor/messages/attachments',
  'POST /api/user/messages/attachments',
  'GET /api/instructor/messages/materials',
  'POST /api/instructor/messages/materials',
  'GET /api/user/messages/materials',
];
/**
 * The classroom tools (issue 19), driven by classroom-tools.test.ts and discussion-tools.test.ts.
 * Seven of their files hold two methods each (individual, and both areas' reactions, scheduled and
 * scheduled/{scheduledId}).
 */
const TOOLS_ROUTES = [
  'GET /api/instructor/messages/individual',
  'POST /api/instructor/messages/individual',
  'GET /api/instructor/messages/individual/{batchId}',
  'POST /api/instructor/messages/read-all',
  'POST /api/instructor/messages/read-all/undo',
  'POST /api/user/messages/read-all',
  'POST /api/user/messages/read-all/undo',
  ...['instructor', 'user'].flatMap((area) => [
    `PUT /api/${area}/messages/{messageId}/reactions/{emoji}`,
    `DELETE /api/${area}/messages/{messageId}/reactions/{emoji}`,
    `GET /api/${area}/messages/{messageId}/history`,
    `GET /api/${area}/messages/scheduled`,
    `POST /api/${area}/messages/scheduled`,
    `PATCH /api/${area}/messages/scheduled/{scheduledId}`,
    `DELETE /api/${area}/messages/scheduled/{scheduledId}`,
  ]),
];
/** Route files of the compose, files and tools routes (materials has two methods in one file). */
const COMPOSE_ROUTE_FILES = COMPOSE_ROUTES.length - 1 + TOOLS_ROUTES.length - 7;
/** Search, for every role (driven by search.test.ts). */
const ANY_ROLE_ROUTES = ['GET /api/messages/search'];
/** The analytics report (issue 18): instructors and admins. */
const ANALYTICS_ROUTES = ['GET /api/instructor/analytics'];

// ---- wire schemas -------------------------------------------------------------------------------

const ZCreatedThread = z.object({ thread: ZThreadRef, message: ZMessage });
const ZThreadPage = z.object({ threads: z.array(ZThreadSummary), nextCursor: z.string().nullable() });

type CallOpts = { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };

/** Asserts an error answer: status, code, the shared error shape, and (optionally) a named field. */
function expectError(res: CallResult, status: number, code: string, field?: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  const body = ZErrorBody.parse(res.body);
  if (field) expect(Object.keys(body.error.fields ?? {})).toContain(field);
  return body;
}

describe.each(dbKinds())('messaging REST API on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  /** Every status each route handler answered with, for the "every route was exercised" check. */
  const answered = new Map<Route, number[]>();

  // The world: one class with a primary and a co-instructor and three students; an outsider
  // instructor with an outsider student in another class; an admin.
  let primary: User;
  let co: User;
  let s1: User;
  let s2: User;
  let s3: User;
  let outsiderInstructor: User;
  let outsiderStudent: User;
  let admin: User;
  let cls: Class;
  let otherCls: Class;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    api = installTestServices(t.db, { rateLimiter: createMemoryRateLimiter() });
    primary = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Maya Primary' });
    co = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Jonas Co' });
    s1 = await createUser(t.db, { name: 'Sam Rivera' });
    s2 = await createUser(t.db, { name: 'Aisha Khan' });
    s3 = await createUser(t.db, { name: 'Liam Murphy' });
    outsiderInstructor = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Olga Outside' });
    outsiderStudent = await createUser(t.db, { name: 'Oscar Outside' });
    admin = await createUser(t.db, { role: 'ADMIN', name: 'Ada Admin' });
    cls = await createClass(t.db, {
      name: 'Algebra I',
      instructors: [{ id: primary.id }, { id: co.id }],
    });
    otherCls = await createClass(t.db, { name: 'Biology', instructors: [{ id: outsiderInstructor.id }] });
    for (const s of [s1, s2, s3]) await enrollStudent(t.db, { classId: cls.id, studentId: s.id });
    await enrollStudent(t.db, { classId: otherCls.id, studentId: outsiderStudent.id });
    for (const u of [primary, co, s1, s2, s3, outsiderInstructor, outsiderStudent, admin]) {
      await api.cookieFor(u);
    }
  });
  afterAll(async () => {
    await api?.services.rateLimiter.close();
    await t?.dispose();
  });

  // ---- helpers ----------------------------------------------------------------------------------

  /** Calls a route handler as `user` (null: no session), and records the status it answered. */
  async function hit(route: Route, user: User | null, opts: CallOpts = {}): Promise<CallResult> {
    const cookie = user ? await api.cookieFor(user) : undefined;
    let url = route.path;
    for (const [k, v] of Object.entries(opts.params ?? {}))
      url = url.replace(`{${k}}`, encodeURIComponent(v));
    const res = await call(route.handler, url, { ...opts, cookie, method: route.method });
    answered.set(route, [...(answered.get(route) ?? []), res.status]);
    return res;
  }

  async function listIds(route: Route, user: User, query: Record<string, string> = {}) {
    const res = await hit(route, user, { query });
    expect(res.status).toBe(200);
    return ZThreadPage.parse(res.body.data).threads.map((th) => th.id);
  }

  /** Setup through the domain, without the HTTP rate limiter (keeps the per-user budgets for the tests). */
  const setupThread = (actorId: string, input: TCreateThreadInput) =>
    createThreadDomain({ db: t.db }, { userId: actorId, input });
  const setupSend = async (threadId: string, senderId: string, content: string) =>
    (await sendMessageDomain({ db: t.db }, { threadId, userId: senderId, content })).message;

  async function memberIds(threadId: string) {
    const rows = await t.db
      .select({ userId: messageParticipants.userId })
      .from(messageParticipants)
      .where(eq(messageParticipants.threadId, threadId));
    return rows.map((r) => r.userId).sort();
  }
  async function participantRow(threadId: string, userId: string) {
    const [row] = await t.db
      .select()
      .from(messageParticipants)
      .where(and(eq(messageParticipants.threadId, threadId), eq(messageParticipants.userId, userId)));
    return row;
  }
  async function messageRow(id: string) {
    const [row] = await t.db.select().from(messages).where(eq(messages.id, id));
    return row;
  }
  async function threadRow(id: string) {
    const [row] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, id));
    return row;
  }
  /** Every row of the messaging tables, for "nothing changed" checks. */
  async function snapshot() {
    return {
      threads: await t.db.select().from(messageThreads).orderBy(asc(messageThreads.id)),
      participants: await t.db.select().from(messageParticipants).orderBy(asc(messageParticipants.id)),
      messages: await t.db.select().from(messages).orderBy(asc(messages.id)),
      receipts: await t.db.select().from(messageReadReceipts).orderBy(asc(messageReadReceipts.id)),
    };
  }

  // ---- 1. every route, as an instructor and as a student ----------------------------------------

  it('instructor routes: create DIRECT/CLASS, list with filters, detail, settings, archive, messages, read, edit, delete', async () => {
    // POST /threads: DIRECT
    const d = await hit(I.postThreads, primary, {
      body: { type: 'DIRECT', recipientId: s1.id, content: 'Hello Sam', clientMessageId: 'instr-direct-1' },
    });
    expect(d.status).toBe(201);
    expect(d.headers.get('idempotent-replayed')).toBeNull();
    const direct = ZCreatedThread.parse(d.body.data);
    expect(direct.thread).toMatchObject({
      type: 'DIRECT',
      kind: 'direct',
      classId: null,
      title: null,
      createdById: primary.id,
      lastMessageSeq: 1,
    });
    expect(direct.message).toMatchObject({
      threadId: direct.thread.id,
      seq: 1,
      senderId: primary.id,
      senderName: 'Maya Primary',
      senderRole: 'INSTRUCTOR',
      content: 'Hello Sam',
      clientMessageId: 'instr-direct-1',
      editedAt: null,
      deletedAt: null,
    });
    expect(await memberIds(direct.thread.id)).toEqual([primary.id, s1.id].sort());
    expect((await messageRow(direct.message.id))?.content).toBe('Hello Sam');

    // POST /threads: CLASS announcement and discussion, for the class's instructors and students
    const a = await hit(I.postThreads, primary, {
      body: {
        type: 'CLASS',
        classId: cls.id,
        title: 'Exam schedule',
        kind: 'announcement',
        content: 'The midterm is on Friday.',
      },
    });
    expect(a.status).toBe(201);
    const announcement = ZCreatedThread.parse(a.body.data);
    expect(announcement.thread).toMatchObject({
      type: 'CLASS',
      kind: 'announcement',
      classId: cls.id,
      title: 'Exam schedule',
      studentsCanReply: false,
      createdById: primary.id,
    });
    const classMembers = [primary, co, s1, s2, s3].map((u) => u.id).sort();
    expect(await memberIds(announcement.thread.id)).toEqual(classMembers);

    const disc = await hit(I.postThreads, primary, {
      body: {
        type: 'CLASS',
        classId: cls.id,
        title: 'Project ideas',
        kind: 'discussion',
        content: 'Post your ideas here.',
      },
    });
    expect(disc.status).toBe(201);
    const discussion = ZCreatedThread.parse(disc.body.data);
    expect(discussion.thread).toMatchObject({ kind: 'discussion', studentsCanReply: true });
    expect(await memberIds(discussion.thread.id)).toEqual(classMembers);
    const [dId, aId, xId] = [direct.thread.id, announcement.thread.id, discussion.thread.id];

    // GET /threads: newest activity first, with filters and a keyset cursor
    const listRes = await hit(I.listThreads, primary);
    expect(listRes.status).toBe(200);
    const all = ZThreadPage.parse(listRes.body.data);
    expect(all.threads.map((th) => th.id)).toEqual([xId, aId, dId]);
    expect(all.nextCursor).toBeNull();
    expect(all.threads[2]).toMatchObject({
      displayTitle: 'Sam Rivera',
      participantCount: 2,
      participants: [{ id: s1.id, name: 'Sam Rivera', role: 'STUDENT' }],
      unreadCount: 0,
      muted: false,
      archived: false,
      lastMessage: { id: direct.message.id, senderId: primary.id, preview: 'Hello Sam' },
    });
    expect(all.threads[1]).toMatchObject({ displayTitle: 'Exam schedule', className: 'Algebra I' });
    expect(await listIds(I.listThreads, primary, { type: 'DIRECT' })).toEqual([dId]);
    expect(await listIds(I.listThreads, primary, { type: 'CLASS', classId: cls.id })).toEqual([xId, aId]);
    expect(await listIds(I.listThreads, primary, { classId: otherCls.id })).toEqual([]);
    expect(await listIds(I.listThreads, primary, { q: 'EXAM' })).toEqual([aId]);
    expect(await listIds(I.listThreads, primary, { q: 'sam riv' })).toEqual([xId, aId, dId]);
    expect(await listIds(I.listThreads, primary, { unread: 'true' })).toEqual([]);
    const p1 = ZThreadPage.parse((await hit(I.listThreads, primary, { query: { limit: '1' } })).body.data);
    expect(p1.threads.map((th) => th.id)).toEqual([xId]);
    expect(p1.nextCursor).toEqual(expect.any(String));
    const p2 = ZThreadPage.parse(
      (await hit(I.listThreads, primary, { query: { limit: '2', cursor: p1.nextCursor! } })).body.data,
    );
    expect([p2.threads.map((th) => th.id), p2.nextCursor]).toEqual([[aId, dId], null]);

    // Sam replies twice (through the student route): the DIRECT thread is unread for the instructor
    const r1 = await hit(S.postThreads, s1, { body: { threadId: dId, content: 'Thanks!' } });
    const r2 = await hit(S.postThreads, s1, { body: { threadId: dId, content: 'One more question' } });
    expect([r1.status, r2.status]).toEqual([201, 201]);
    const [reply1, reply2] = [ZMessage.parse(r1.body.data), ZMessage.parse(r2.body.data)];
    expect([reply1.seq, reply2.seq]).toEqual([2, 3]);
    const unread = ZThreadPage.parse(
      (await hit(I.listThreads, primary, { query: { unread: 'true' } })).body.data,
    );
    expect(unread.threads.map((th) => [th.id, th.unreadCount])).toEqual([[dId, 2]]);

    // GET /threads/{id}: the thread, participants, permissions and newest messages
    const detRes = await hit(I.getThread, primary, { params: { threadId: aId } });
    expect(detRes.status).toBe(200);
    const det = ZThreadDetail.parse(detRes.body.data);
    expect(det.thread).toMatchObject({ id: aId, kind: 'announcement', participantCount: 5 });
    expect(det.participants.map((p) => p.id).sort()).toEqual(classMembers);
    expect(det.participants.slice(0, 2).map((p) => p.role)).toEqual(['INSTRUCTOR', 'INSTRUCTOR']);
    expect(det.permissions).toEqual({
      canPost: true,
      postBlockedReason: null,
      postBlockedMessage: null,
      canRename: true,
      canModerate: true,
    });
    expect(det.messages.messages.map((m) => m.content)).toEqual(['The midterm is on Friday.']);
    const coDet = ZThreadDetail.parse((await hit(I.getThread, co, { params: { threadId: aId } })).body.data);
    expect(coDet.permissions).toMatchObject({ canPost: true, canRename: false, canModerate: false });
    const samDet = ZThreadDetail.parse((await hit(S.getThread, s1, { params: { threadId: aId } })).body.data);
    expect(samDet.permissions).toEqual({
      canPost: false,
      postBlockedReason: 'ANNOUNCEMENT_READ_ONLY',
      postBlockedMessage: DOMAIN_ERRORS.ANNOUNCEMENT_READ_ONLY.message,
      canRename: false,
      canModerate: false,
    });

    // PUT /threads/{id}: mute, rename (creator), archive and unarchive, each for the caller only
    const muted = await hit(I.updateThread, primary, { params: { threadId: dId }, body: { muted: true } });
    expect(muted.status).toBe(200);
    expect(ZThreadSummary.parse(muted.body.data)).toMatchObject({ id: dId, muted: true, archived: false });
    expect((await participantRow(dId, primary.id))?.muted).toBe(true);
    expect((await participantRow(dId, s1.id))?.muted).toBe(false);
    const renamed = await hit(I.updateThread, primary, {
      params: { threadId: xId },
      body: { title: '  Project ideas (week 2) ' },
    });
    expect(ZThreadSummary.parse(renamed.body.data)).toMatchObject({
      title: 'Project ideas (week 2)',
      displayTitle: 'Project ideas (week 2)',
    });
    expect((await threadRow(xId))?.title).toBe('Project ideas (week 2)');
    const seenByCo = ZThreadDetail.parse(
      (await hit(I.getThread, co, { params: { threadId: xId } })).body.data,
    );
    expect(seenByCo.thread.displayTitle).toBe('Project ideas (week 2)');
    const arch = await hit(I.updateThread, primary, { params: { threadId: dId }, body: { archived: true } });
    expect(ZThreadSummary.parse(arch.body.data).archived).toBe(true);
    expect((await participantRow(dId, primary.id))?.archivedAt).toBeInstanceOf(Date);
    const unarch = await hit(I.updateThread, primary, {
      params: { threadId: dId },
      body: { archived: false },
    });
    expect(ZThreadSummary.parse(unarch.body.data).archived).toBe(false);
    expect((await participantRow(dId, primary.id))?.archivedAt).toBeNull();

    // DELETE /threads/{id}: archive for the caller only; back on the next message
    const del = await hit(I.archiveThread, primary, { params: { threadId: aId } });
    expect(del.status).toBe(200);
    expect(ZThreadSummary.parse(del.body.data)).toMatchObject({ id: aId, archived: true });
    expect(await threadRow(aId)).toBeDefined();
    expect((await participantRow(aId, s1.id))?.archivedAt).toBeNull();
    expect(await listIds(I.listThreads, primary)).not.toContain(aId);
    expect(await listIds(I.listThreads, primary, { archived: 'true' })).toEqual([aId]);
    expect(await listIds(S.listThreads, s1)).toContain(aId);
    expect(await listIds(I.listThreads, co)).toContain(aId);
    const coPost = await hit(I.sendMessage, co, {
      params: { threadId: aId },
      body: { content: 'Room 204, 9am.' },
    });
    expect(coPost.status).toBe(201);
    const back = ZThreadPage.parse((await hit(I.listThreads, primary)).body.data);
    expect(back.threads[0]).toMatchObject({ id: aId, archived: false, unreadCount: 1 });
    expect(await listIds(I.listThreads, primary, { archived: 'true' })).toEqual([]);

    // POST/GET /threads/{id}/messages: send, then page both ways (oldest first)
    const m2 = await hit(I.sendMessage, primary, {
      params: { threadId: xId },
      body: { content: 'Idea one' },
    });
    const m3 = await hit(I.sendMessage, primary, {
      params: { threadId: xId },
      body: { content: 'Idea two' },
    });
    expect([m2.status, m3.status]).toEqual([201, 201]);
    const [msg2, msg3] = [ZMessage.parse(m2.body.data), ZMessage.parse(m3.body.data)];
    expect([msg2.seq, msg3.seq, msg3.threadId]).toEqual([2, 3, xId]);
    const newest = await hit(I.listMessages, primary, { params: { threadId: xId }, query: { limit: '2' } });
    expect(newest.status).toBe(200);
    const page = ZMessagePage.parse(newest.body.data);
    expect(page.messages.map((m) => m.content)).toEqual(['Idea one', 'Idea two']);
    expect([page.hasOlder, page.hasNewer]).toEqual([true, false]);
    const older = ZMessagePage.parse(
      (
        await hit(I.listMessages, primary, {
          params: { threadId: xId },
          query: { before: page.olderCursor!, limit: '2' },
        })
      ).body.data,
    );
    expect(older.messages.map((m) => m.content)).toEqual(['Post your ideas here.']);
    expect([older.hasOlder, older.hasNewer]).toEqual([false, true]);
    const nothingNew = ZMessagePage.parse(
      (await hit(I.listMessages, primary, { params: { threadId: xId }, query: { after: page.newerCursor! } }))
        .body.data,
    );
    expect([nothingNew.messages, nothingNew.hasNewer]).toEqual([[], false]);
    const s2Idea = ZMessage.parse(
      (await hit(S.sendMessage, s2, { params: { threadId: xId }, body: { content: 'Idea three' } })).body
        .data,
    );
    const caughtUp = ZMessagePage.parse(
      (await hit(I.listMessages, primary, { params: { threadId: xId }, query: { after: page.newerCursor! } }))
        .body.data,
    );
    expect(caughtUp.messages.map((m) => [m.id, m.senderRole])).toEqual([[s2Idea.id, 'STUDENT']]);

    // POST /threads/{id}/read up to a message, then /{messageId}/read: receipt and pointer
    const tr = await hit(I.readThread, primary, {
      params: { threadId: dId },
      body: { upToMessageId: reply1.id },
    });
    expect(tr.status).toBe(200);
    expect(ZReadState.parse(tr.body.data)).toMatchObject({
      threadId: dId,
      lastReadSeq: 2,
      lastReadMessageId: reply1.id,
      unreadCount: 1,
    });
    const mr = await hit(I.readMessage, primary, { params: { messageId: reply2.id } });
    expect(mr.status).toBe(200);
    expect(ZReadState.parse(mr.body.data)).toMatchObject({
      threadId: dId,
      lastReadSeq: 3,
      lastReadMessageId: reply2.id,
      unreadCount: 0,
    });
    const receipts = await t.db
      .select()
      .from(messageReadReceipts)
      .where(eq(messageReadReceipts.messageId, reply2.id));
    expect(receipts.map((r) => r.userId)).toEqual([primary.id]);
    expect(await participantRow(dId, primary.id)).toMatchObject({
      lastReadSeq: 3,
      lastReadMessageId: reply2.id,
    });
    // The pointer never moves back.
    const stale = await hit(I.readThread, primary, {
      params: { threadId: dId },
      body: { upToMessageId: reply1.id },
    });
    expect(ZReadState.parse(stale.body.data).lastReadSeq).toBe(3);
    const readAll = await hit(I.readThread, primary, { params: { threadId: aId }, body: {} });
    expect(ZReadState.parse(readAll.body.data)).toMatchObject({ lastReadSeq: 2, unreadCount: 0 });

    // PATCH /{messageId}: edit your own
    const edit = await hit(I.editMessage, primary, {
      params: { messageId: direct.message.id },
      body: { content: 'Hello Sam, see you Friday' },
    });
    expect(edit.status).toBe(200);
    const edited = ZMessage.parse(edit.body.data);
    expect(edited).toMatchObject({ id: direct.message.id, content: 'Hello Sam, see you Friday', seq: 1 });
    expect(edited.editedAt).toEqual(expect.any(String));
    const editedRow = await messageRow(direct.message.id);
    expect(editedRow?.content).toBe('Hello Sam, see you Friday');
    expect(editedRow?.editedAt).toBeInstanceOf(Date);

    // DELETE /{messageId}: your own, and (primary instructor) a student's in a class discussion
    const delOwn = await hit(I.deleteMessage, primary, { params: { messageId: msg3.id } });
    expect(delOwn.status).toBe(200);
    const tomb = ZMessage.parse(delOwn.body.data);
    expect([tomb.id, tomb.content, tomb.senderId]).toEqual([msg3.id, null, primary.id]);
    expect(tomb.deletedAt).toEqual(expect.any(String));
    expect((await messageRow(msg3.id))?.deletedAt).toBeInstanceOf(Date);
    const afterDelete = ZMessagePage.parse(
      (await hit(I.listMessages, primary, { params: { threadId: xId } })).body.data,
    );
    expect(afterDelete.messages.find((m) => m.id === msg3.id)?.content).toBeNull();

    const moderated = await hit(I.deleteMessage, primary, { params: { messageId: s2Idea.id } });
    expect(moderated.status).toBe(200);
    expect(ZMessage.parse(moderated.body.data)).toMatchObject({
      id: s2Idea.id,
      senderId: s2.id,
      content: null,
    });
    expect((await messageRow(s2Idea.id))?.deletedAt).toBeInstanceOf(Date);
    const s3Idea = ZMessage.parse(
      (await hit(S.sendMessage, s3, { params: { threadId: xId }, body: { content: 'Idea four' } })).body.data,
    );
    expectError(await hit(I.deleteMessage, co, { params: { messageId: s3Idea.id } }), 403, 'NOT_AUTHOR');
    expect((await messageRow(s3Idea.id))?.deletedAt).toBeNull();
  });

  it('student routes: start a DIRECT thread, reply, detail with permissions, settings, archive, messages, read, edit, delete', async () => {
    const { thread: ann } = await setupThread(primary.id, {
      type: 'CLASS',
      classId: cls.id,
      title: 'Field trip',
      kind: 'announcement',
      content: 'Bring a packed lunch.',
    });
    const { thread: disc } = await setupThread(primary.id, {
      type: 'CLASS',
      classId: cls.id,
      title: 'Reading group',
      kind: 'discussion',
      content: 'Chapter 3 this week.',
    });

    // GET /threads: the class threads, unread
    const listRes = await hit(S.listThreads, s2);
    expect(listRes.status).toBe(200);
    const list = ZThreadPage.parse(listRes.body.data);
    expect(list.threads.slice(0, 2).map((th) => th.id)).toEqual([disc.id, ann.id]);
    expect(list.threads[1]).toMatchObject({
      kind: 'announcement',
      displayTitle: 'Field trip',
      unreadCount: 1,
      classCode: cls.code,
    });
    expect(await listIds(S.listThreads, s2, { type: 'DIRECT' })).toEqual([]);

    // POST /threads with recipientId: a DIRECT thread with one of their instructors
    const start = await hit(S.postThreads, s2, {
      body: { recipientId: co.id, content: 'Question about the lab', clientMessageId: 'stu-dm-1' },
    });
    expect(start.status).toBe(201);
    const dm = ZCreatedThread.parse(start.body.data);
    expect(dm.thread).toMatchObject({
      type: 'DIRECT',
      kind: 'direct',
      createdById: s2.id,
      lastMessageSeq: 1,
    });
    expect(dm.message).toMatchObject({
      senderId: s2.id,
      senderRole: 'STUDENT',
      content: 'Question about the lab',
    });
    expect(await memberIds(dm.thread.id)).toEqual([s2.id, co.id].sort());
    expect(await listIds(S.listThreads, s2, { type: 'DIRECT' })).toEqual([dm.thread.id]);
    expect(await listIds(I.listThreads, co, { type: 'DIRECT' })).toContain(dm.thread.id);

    // POST /threads with threadId: a reply
    const reply = await hit(S.postThreads, s2, {
      body: { threadId: disc.id, content: 'I will bring notes' },
    });
    expect(reply.status).toBe(201);
    const replyMsg = ZMessage.parse(reply.body.data);
    expect(replyMsg).toMatchObject({ threadId: disc.id, seq: 2, senderId: s2.id, senderRole: 'STUDENT' });
    expect((await messageRow(replyMsg.id))?.content).toBe('I will bring notes');

    // GET /threads/{id}: an announcement is read-only for a student, a discussion is not
    const annRes = await hit(S.getThread, s2, { params: { threadId: ann.id } });
    expect(annRes.status).toBe(200);
    const annDet = ZThreadDetail.parse(annRes.body.data);
    expect(annDet.permissions).toEqual({
      canPost: false,
      postBlockedReason: 'ANNOUNCEMENT_READ_ONLY',
      postBlockedMessage: DOMAIN_ERRORS.ANNOUNCEMENT_READ_ONLY.message,
      canRename: false,
      canModerate: false,
    });
    expect(annDet.participants.map((p) => p.id).sort()).toEqual(
      [primary, co, s1, s2, s3].map((u) => u.id).sort(),
    );
    expect(annDet.messages.messages.map((m) => m.content)).toEqual(['Bring a packed lunch.']);
    const discDet = ZThreadDetail.parse(
      (await hit(S.getThread, s2, { params: { threadId: disc.id } })).body.data,
    );
    expect(discDet.permissions).toMatchObject({ canPost: true, postBlockedReason: null, canRename: false });

    // PUT /threads/{id}: mute and archive settings are the student's own
    const mute = await hit(S.updateThread, s2, { params: { threadId: disc.id }, body: { muted: true } });
    expect(mute.status).toBe(200);
    expect(ZThreadSummary.parse(mute.body.data)).toMatchObject({ id: disc.id, muted: true });
    expect((await participantRow(disc.id, s2.id))?.muted).toBe(true);
    expect((await participantRow(disc.id, primary.id))?.muted).toBe(false);
    const arch = await hit(S.updateThread, s2, { params: { threadId: disc.id }, body: { archived: true } });
    expect(ZThreadSummary.parse(arch.body.data).archived).toBe(true);
    const unarch = await hit(S.updateThread, s2, {
      params: { threadId: disc.id },
      body: { archived: false, muted: false },
    });
    expect(ZThreadSummary.parse(unarch.body.data)).toMatchObject({ archived: false, muted: false });

    // DELETE /threads/{id}: archived for the student only, back when the instructor answers
    const del = await hit(S.archiveThread, s2, { params: { threadId: dm.thread.id } });
    expect(del.status).toBe(200);
    expect(ZThreadSummary.parse(del.body.data)).toMatchObject({ id: dm.thread.id, archived: true });
    expect(await listIds(S.listThreads, s2)).not.toContain(dm.thread.id);
    expect(await listIds(S.listThreads, s2, { archived: 'true' })).toEqual([dm.thread.id]);
    expect((await participantRow(dm.thread.id, co.id))?.archivedAt).toBeNull();
    const answer = await hit(I.sendMessage, co, {
      params: { threadId: dm.thread.id },
      body: { content: 'Come by my office.' },
    });
    expect(answer.status).toBe(201);
    const answerMsg = ZMessage.parse(answer.body.data);
    const back = ZThreadPage.parse((await hit(S.listThreads, s2)).body.data);
    expect(back.threads[0]).toMatchObject({ id: dm.thread.id, archived: false, unreadCount: 1 });

    // GET/POST /threads/{id}/messages
    const msgs = await hit(S.listMessages, s2, { params: { threadId: dm.thread.id } });
    expect(msgs.status).toBe(200);
    const page = ZMessagePage.parse(msgs.body.data);
    expect(page.messages.map((m) => [m.senderId, m.content])).toEqual([
      [s2.id, 'Question about the lab'],
      [co.id, 'Come by my office.'],
    ]);
    expect([page.hasOlder, page.hasNewer]).toEqual([false, false]);

    // POST /{messageId}/read: a receipt and the pointer; POST /threads/{id}/read: the announcement
    const mr = await hit(S.readMessage, s2, { params: { messageId: answerMsg.id } });
    expect(mr.status).toBe(200);
    expect(ZReadState.parse(mr.body.data)).toMatchObject({
      threadId: dm.thread.id,
      lastReadSeq: 2,
      lastReadMessageId: answerMsg.id,
      unreadCount: 0,
    });
    const [receipt] = await t.db
      .select()
      .from(messageReadReceipts)
      .where(and(eq(messageReadReceipts.messageId, answerMsg.id), eq(messageReadReceipts.userId, s2.id)));
    expect(receipt?.readAt).toBeInstanceOf(Date);
    expect((await participantRow(dm.thread.id, s2.id))?.lastReadSeq).toBe(2);
    const tr = await hit(S.readThread, s2, { params: { threadId: ann.id }, body: {} });
    expect(tr.status).toBe(200);
    expect(ZReadState.parse(tr.body.data)).toMatchObject({
      threadId: ann.id,
      lastReadSeq: 1,
      unreadCount: 0,
    });
    expect((await participantRow(ann.id, s2.id))?.lastReadSeq).toBe(1);
    expect((await participantRow(ann.id, s1.id))?.lastReadSeq).toBe(0);

    const sent = await hit(S.sendMessage, s2, {
      params: { threadId: dm.thread.id },
      body: { content: 'On my way' },
    });
    expect(sent.status).toBe(201);
    const sentMsg = ZMessage.parse(sent.body.data);
    expect(sentMsg).toMatchObject({ seq: 3, content: 'On my way', senderRole: 'STUDENT' });

    // PATCH and DELETE /{messageId}: own messages
    const edit = await hit(S.editMessage, s2, {
      params: { messageId: replyMsg.id },
      body: { content: 'I will bring printed notes' },
    });
    expect(edit.status).toBe(200);
    const edited = ZMessage.parse(edit.body.data);
    expect(edited.content).toBe('I will bring printed notes');
    expect(edited.editedAt).toEqual(expect.any(String));
    expect((await messageRow(replyMsg.id))?.editedAt).toBeInstanceOf(Date);
    const gone = await hit(S.deleteMessage, s2, { params: { messageId: sentMsg.id } });
    expect(gone.status).toBe(200);
    expect(ZMessage.parse(gone.body.data)).toMatchObject({ id: sentMsg.id, content: null });
    expect((await messageRow(sentMsg.id))?.deletedAt).toBeInstanceOf(Date);
    const coView = ZMessagePage.parse(
      (await hit(I.listMessages, co, { params: { threadId: dm.thread.id } })).body.data,
    );
    expect(coView.messages.at(-1)).toMatchObject({ id: sentMsg.id, content: null });
  });

  it('an admin may use the instructor area', async () => {
    const res = await hit(I.listThreads, admin);
    expect(res.status).toBe(200);
    expect(ZThreadPage.parse(res.body.data)).toEqual({ threads: [], nextCursor: null });
  });

  it('every route file refuses the other area (403 FORBIDDEN) and a missing or forged session (401 UNAUTHORIZED)', async () => {
    const { thread, message } = await setupThread(primary.id, {
      type: 'DIRECT',
      recipientId: s1.id,
      content: 'guard check',
    });
    const bodies: Record<string, unknown> = {
      postThreads: { type: 'DIRECT', recipientId: s1.id, content: 'x' },
      updateThread: { muted: true },
      sendMessage: { content: 'x' },
      readThread: {},
      editMessage: { content: 'x' },
    };
    const before = await snapshot();
    const eventsBefore = api.events.length;
    const wrongArea: Array<[Route[], User[]]> = [
      [Object.values(I), [s1]],
      [Object.values(S), [primary, co, admin]],
    ];
    for (const [routes, intruders] of wrongArea) {
      for (const route of routes) {
        const body =
          route.name === 'postThreads' && route.area === 'student'
            ? { threadId: thread.id, content: 'x' }
            : bodies[route.name];
        const opts: CallOpts = { params: { threadId: thread.id, messageId: message.id }, body };
        for (const u of intruders) expectError(await hit(route, u, opts), 403, 'FORBIDDEN');
        expectError(await hit(route, null, opts), 401, 'UNAUTHORIZED');
        const forged = await call(route.handler, route.path, {
          ...opts,
          method: route.method,
          cookie: 'better-auth.session_token=not-a-session.forged',
        });
        expectError(forged, 401, 'UNAUTHORIZED');
      }
    }
    expect(await snapshot()).toEqual(before);
    expect(api.events.length).toBe(eventsBefore);
  });

  // ---- 2. foreign ids are indistinguishable from nonexistent ones -------------------------------

  it('a non-participant gets the same 404 as for a random id on every id-taking route, and nothing changes', async () => {
    const direct = await setupThread(primary.id, {
      type: 'DIRECT',
      recipientId: s3.id,
      content: 'Private note',
    });
    const directReply = await setupSend(direct.thread.id, s3.id, 'Private reply');
    const other = await setupThread(outsiderInstructor.id, {
      type: 'CLASS',
      classId: otherCls.id,
      title: 'Biology lab',
      kind: 'discussion',
      content: 'Lab on Monday',
    });
    const otherReply = await setupSend(other.thread.id, outsiderStudent.id, 'Got it');

    const probes: Array<{ routes: typeof I; prober: User; threadId: string; messageIds: string[] }> = [
      { routes: I, prober: co, threadId: direct.thread.id, messageIds: [direct.message.id, directReply.id] },
      { routes: I, prober: outsiderInstructor, threadId: direct.thread.id, messageIds: [directReply.id] },
      {
        routes: I,
        prober: primary,
        threadId: other.thread.id,
        messageIds: [other.message.id, otherReply.id],
      },
      { routes: S, prober: s1, threadId: direct.thread.id, messageIds: [direct.message.id, directReply.id] },
      { routes: S, prober: s1, threadId: other.thread.id, messageIds: [otherReply.id] },
      { routes: S, prober: outsiderStudent, threadId: direct.thread.id, messageIds: [directReply.id] },
    ];

    const before = await snapshot();
    const eventsBefore = api.events.length;
    let compared = 0;
    const same = async (route: Route, prober: User, foreign: CallOpts, random: CallOpts) => {
      const [a, b] = [await hit(route, prober, foreign), await hit(route, prober, random)];
      expectError(a, 404, 'NOT_FOUND');
      expect({ status: a.status, body: a.body }).toEqual({ status: b.status, body: b.body });
      compared++;
    };
    for (const { routes: R, prober, threadId, messageIds } of probes) {
      const threadCalls: Array<[Route, Omit<CallOpts, 'params'>]> = [
        [R.getThread, {}],
        [R.updateThread, { body: { muted: true } }],
        [R.updateThread, { body: { archived: true, title: 'Mine now' } }],
        [R.archiveThread, {}],
        [R.listMessages, {}],
        [R.listMessages, { query: { limit: '1' } }],
        [R.sendMessage, { body: { content: 'let me in', clientMessageId: `probe-${randomUUID()}` } }],
        [R.readThread, { body: {} }],
        [R.readThread, { body: { upToMessageId: messageIds[0] } }],
      ];
      for (const [route, opts] of threadCalls) {
        await same(
          route,
          prober,
          { ...opts, params: { threadId } },
          { ...opts, params: { threadId: randomUUID() } },
        );
      }
      if (R === S) {
        await same(
          S.postThreads,
          prober,
          { body: { threadId, content: 'let me in' } },
          { body: { threadId: randomUUID(), content: 'let me in' } },
        );
      }
      for (const messageId of messageIds) {
        const messageCalls: Array<[Route, Omit<CallOpts, 'params'>]> = [
          [R.editMessage, { body: { content: 'changed' } }],
          [R.deleteMessage, {}],
          [R.readMessage, {}],
        ];
        for (const [route, opts] of messageCalls) {
          await same(
            route,
            prober,
            { ...opts, params: { messageId } },
            { ...opts, params: { messageId: randomUUID() } },
          );
        }
      }
    }
    expect(compared).toBeGreaterThan(60);
    expect(await snapshot()).toEqual(before);
    expect(api.events.length).toBe(eventsBefore);
    // The participants themselves still see it all.
    expect((await hit(I.getThread, primary, { params: { threadId: direct.thread.id } })).status).toBe(200);
    expect((await hit(S.getThread, s3, { params: { threadId: direct.thread.id } })).status).toBe(200);
  });

  // ---- 3. 403 with reason codes -----------------------------------------------------------------

  it('refuses with the reason: announcement read-only, not primary, recipient not allowed, not author, not creator', async () => {
    const ann = await setupThread(primary.id, {
      type: 'CLASS',
      classId: cls.id,
      title: 'Grading policy',
      kind: 'announcement',
      content: 'Homework counts 20%.',
    });
    const disc = await setupThread(primary.id, {
      type: 'CLASS',
      classId: cls.id,
      title: 'Homework help',
      kind: 'discussion',
      content: 'Ask here.',
    });
    const s1Msg = await setupSend(disc.thread.id, s1.id, 'How do I factor this?');
    const direct = await setupThread(primary.id, { type: 'DIRECT', recipientId: s1.id, content: 'Ping' });
    const before = await snapshot();

    // Students cannot post to an announcement, by either student route.
    const viaMessages = expectError(
      await hit(S.sendMessage, s1, {
        params: { threadId: ann.thread.id },
        body: { content: 'Is it curved?' },
      }),
      403,
      'ANNOUNCEMENT_READ_ONLY',
    );
    expect(viaMessages.error.message).toBe(DOMAIN_ERRORS.ANNOUNCEMENT_READ_ONLY.message);
    expectError(
      await hit(S.postThreads, s1, { body: { threadId: ann.thread.id, content: 'Is it curved?' } }),
      403,
      'ANNOUNCEMENT_READ_ONLY',
    );

    // Only the primary instructor starts CLASS threads; a class you do not teach does not exist.
    const classBody = {
      type: 'CLASS',
      classId: cls.id,
      title: 'Co thread',
      kind: 'discussion',
      content: 'Hi',
    };
    expectError(await hit(I.postThreads, co, { body: classBody }), 403, 'NOT_PRIMARY_INSTRUCTOR');
    expectError(
      await hit(I.postThreads, outsiderInstructor, { body: classBody }),
      404,
      'NOT_FOUND',
      'classId',
    );

    // DIRECT only between an instructor and a student who share a class; unknown ids look the same.
    const notMine = expectError(
      await hit(I.postThreads, primary, {
        body: { type: 'DIRECT', recipientId: outsiderStudent.id, content: 'Hi' },
      }),
      403,
      'RECIPIENT_NOT_ALLOWED',
      'recipientId',
    );
    const nobody = await hit(I.postThreads, primary, {
      body: { type: 'DIRECT', recipientId: randomUUID(), content: 'Hi' },
    });
    expect(nobody.body).toEqual(notMine);
    for (const [route, actor, body] of [
      [I.postThreads, primary, { type: 'DIRECT', recipientId: co.id, content: 'Hi' }],
      [I.postThreads, primary, { type: 'DIRECT', recipientId: primary.id, content: 'Hi' }],
      [S.postThreads, s1, { recipientId: s2.id, content: 'Hi' }],
      [S.postThreads, s1, { recipientId: outsiderInstructor.id, content: 'Hi' }],
      [S.postThreads, s1, { recipientId: outsiderStudent.id, content: 'Hi' }],
    ] as Array<[Route, User, unknown]>) {
      expectError(await hit(route, actor, { body }), 403, 'RECIPIENT_NOT_ALLOWED', 'recipientId');
    }

    // Only the author edits; only the author or the class's primary instructor deletes.
    for (const [route, actor, messageId] of [
      [S.editMessage, s1, direct.message.id],
      [I.editMessage, primary, s1Msg.id],
      [I.editMessage, co, s1Msg.id],
      [S.editMessage, s2, s1Msg.id],
    ] as Array<[Route, User, string]>) {
      expectError(
        await hit(route, actor, { params: { messageId }, body: { content: 'edited' } }),
        403,
        'NOT_AUTHOR',
      );
    }
    expectError(await hit(S.deleteMessage, s2, { params: { messageId: s1Msg.id } }), 403, 'NOT_AUTHOR');
    expectError(
      await hit(S.deleteMessage, s1, { params: { messageId: direct.message.id } }),
      403,
      'NOT_AUTHOR',
    );

    // Only a CLASS thread's creator renames it (and a refused rename changes no other setting).
    expectError(
      await hit(S.updateThread, s1, {
        params: { threadId: disc.thread.id },
        body: { title: 'Mine', muted: true },
      }),
      403,
      'NOT_THREAD_CREATOR',
    );
    expectError(
      await hit(I.updateThread, co, { params: { threadId: disc.thread.id }, body: { title: 'Mine' } }),
      403,
      'NOT_THREAD_CREATOR',
    );
    expectError(
      await hit(I.updateThread, primary, { params: { threadId: direct.thread.id }, body: { title: 'Sam' } }),
      403,
      'NOT_THREAD_CREATOR',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('after a student leaves the class: their DIRECT thread stays readable but closed (NO_SHARED_CLASS), the class thread is 404 at once', async () => {
    const leaver = await createUser(t.db, { name: 'Lea Leaving' });
    await enrollStudent(t.db, { classId: cls.id, studentId: leaver.id });
    const created = await hit(I.postThreads, primary, {
      body: { type: 'DIRECT', recipientId: leaver.id, content: 'How is it going?' },
    });
    expect(created.status).toBe(201);
    const direct = ZCreatedThread.parse(created.body.data).thread;
    const disc = await setupThread(primary.id, {
      type: 'CLASS',
      classId: cls.id,
      title: 'Leaving test',
      kind: 'discussion',
      content: 'Welcome all',
    });
    const own = ZMessage.parse(
      (await hit(S.postThreads, leaver, { body: { threadId: disc.thread.id, content: 'Hi class' } })).body
        .data,
    );
    expect(
      (await hit(S.postThreads, leaver, { body: { threadId: direct.id, content: 'Fine!' } })).status,
    ).toBe(201);
    expect((await hit(S.getThread, leaver, { params: { threadId: disc.thread.id } })).status).toBe(200);

    await removeEnrollment({ db: t.db }, { classId: cls.id, studentId: leaver.id });
    const before = await snapshot();

    // The DIRECT thread: still readable by both, but neither may post.
    const det = await hit(S.getThread, leaver, { params: { threadId: direct.id } });
    expect(det.status).toBe(200);
    expect(ZThreadDetail.parse(det.body.data).permissions).toMatchObject({
      canPost: false,
      postBlockedReason: 'NO_SHARED_CLASS',
      postBlockedMessage: DOMAIN_ERRORS.NO_SHARED_CLASS.message,
    });
    const page = ZMessagePage.parse(
      (await hit(S.listMessages, leaver, { params: { threadId: direct.id } })).body.data,
    );
    expect(page.messages.map((m) => m.content)).toEqual(['How is it going?', 'Fine!']);
    expectError(
      await hit(S.sendMessage, leaver, {
        params: { threadId: direct.id },
        body: { content: 'Still there?' },
      }),
      403,
      'NO_SHARED_CLASS',
    );
    expectError(
      await hit(S.postThreads, leaver, { body: { threadId: direct.id, content: 'Still there?' } }),
      403,
      'NO_SHARED_CLASS',
    );
    const instructorSide = expectError(
      await hit(I.sendMessage, primary, { params: { threadId: direct.id }, body: { content: 'Come back!' } }),
      403,
      'NO_SHARED_CLASS',
    );
    expect(instructorSide.error.message).toBe(DOMAIN_ERRORS.NO_SHARED_CLASS.message);
    const instructorDet = ZThreadDetail.parse(
      (await hit(I.getThread, primary, { params: { threadId: direct.id } })).body.data,
    );
    expect(instructorDet.permissions.postBlockedReason).toBe('NO_SHARED_CLASS');
    expectError(
      await hit(S.postThreads, leaver, { body: { recipientId: primary.id, content: 'New thread?' } }),
      403,
      'RECIPIENT_NOT_ALLOWED',
    );

    // The class thread: gone for them, exactly like one that never existed.
    for (const [route, opts, randomOpts] of [
      [S.getThread, { params: { threadId: disc.thread.id } }, { params: { threadId: randomUUID() } }],
      [S.listMessages, { params: { threadId: disc.thread.id } }, { params: { threadId: randomUUID() } }],
      [
        S.postThreads,
        { body: { threadId: disc.thread.id, content: 'Hello?' } },
        { body: { threadId: randomUUID(), content: 'Hello?' } },
      ],
      [
        S.editMessage,
        { params: { messageId: own.id }, body: { content: 'x' } },
        { params: { messageId: randomUUID() }, body: { content: 'x' } },
      ],
      [S.readMessage, { params: { messageId: own.id } }, { params: { messageId: randomUUID() } }],
    ] as Array<[Route, CallOpts, CallOpts]>) {
      const [a, b] = [await hit(route, leaver, opts), await hit(route, leaver, randomOpts)];
      expectError(a, 404, 'NOT_FOUND');
      expect(a.body).toEqual(b.body);
    }
    const theirs = await listIds(S.listThreads, leaver);
    expect(theirs).toContain(direct.id);
    expect(theirs).not.toContain(disc.thread.id);
    const seen = ZThreadDetail.parse(
      (await hit(I.getThread, primary, { params: { threadId: disc.thread.id } })).body.data,
    );
    expect(seen.participants.map((p) => p.id)).not.toContain(leaver.id);
    expect(await snapshot()).toEqual(before);
  });

  // ---- 4. 400s, never 500s; and the 409s ---------------------------------------------------------

  it('answers bad input with 400 VALIDATION_FAILED (naming the field) or BAD_REQUEST, and stores nothing', async () => {
    const { thread, message } = await setupThread(co.id, {
      type: 'DIRECT',
      recipientId: s1.id,
      content: 'Hi',
    });
    const elsewhere = await setupThread(co.id, { type: 'DIRECT', recipientId: s2.id, content: 'Elsewhere' });
    const tid = { threadId: thread.id };
    const mid = { messageId: message.id };
    await setupSend(thread.id, s1.id, 'second');
    const page = ZMessagePage.parse(
      (await hit(I.listMessages, co, { params: tid, query: { limit: '1' } })).body.data,
    );
    const tooLong = 'a'.repeat(10_001);
    // Well formed, but past year 9999: no database can take that timestamp.
    const farFuture = Buffer.from(`999999999999999.${message.id}`, 'utf8').toString('base64url');
    const before = await snapshot();

    const cases: Array<[Route, User, CallOpts, 'VALIDATION_FAILED' | 'BAD_REQUEST', string?]> = [
      // malformed and missing JSON
      [I.postThreads, primary, { body: '{"type":"DIRECT",' }, 'BAD_REQUEST'],
      [I.postThreads, primary, { body: '' }, 'BAD_REQUEST'],
      [S.postThreads, s1, { body: '{threadId: 1}' }, 'BAD_REQUEST'],
      [I.sendMessage, co, { params: tid, body: 'not json' }, 'BAD_REQUEST'],
      [S.sendMessage, s1, { params: tid, body: '{"content":"x"' }, 'BAD_REQUEST'],
      [I.updateThread, co, { params: tid, body: '{muted:true}' }, 'BAD_REQUEST'],
      [I.readThread, co, { params: tid, body: '{' }, 'BAD_REQUEST'],
      [I.editMessage, co, { params: mid, body: "{'content':'x'}" }, 'BAD_REQUEST'],
      // content: empty, whitespace, too long, wrong type, missing
      [I.sendMessage, co, { params: tid, body: { content: '' } }, 'VALIDATION_FAILED', 'content'],
      [I.sendMessage, co, { params: tid, body: { content: ' \n\t ' } }, 'VALIDATION_FAILED', 'content'],
      [I.sendMessage, co, { params: tid, body: { content: tooLong } }, 'VALIDATION_FAILED', 'content'],
      [I.sendMessage, co, { params: tid, body: { content: 42 } }, 'VALIDATION_FAILED', 'content'],
      [I.sendMessage, co, { params: tid, body: {} }, 'VALIDATION_FAILED', 'content'],
      [I.sendMessage, co, { params: tid, body: '"just a string"' }, 'VALIDATION_FAILED'],
      [S.sendMessage, s1, { params: tid, body: { content: '   ' } }, 'VALIDATION_FAILED', 'content'],
      [
        I.sendMessage,
        co,
        { params: tid, body: { content: 'x', clientMessageId: 'has space' } },
        'VALIDATION_FAILED',
        'clientMessageId',
      ],
      [I.editMessage, co, { params: mid, body: { content: '  ' } }, 'VALIDATION_FAILED', 'content'],
      [I.editMessage, co, { params: mid, body: { content: tooLong } }, 'VALIDATION_FAILED', 'content'],
      [I.editMessage, co, { params: mid, body: { content: ['x'] } }, 'VALIDATION_FAILED', 'content'],
      // create thread: wrong types, unknown type and kind, missing title
      [
        I.postThreads,
        co,
        { body: { type: 'DIRECT', recipientId: s1.id, content: '' } },
        'VALIDATION_FAILED',
        'content',
      ],
      [
        I.postThreads,
        co,
        { body: { type: 'DIRECT', recipientId: s1.id, content: tooLong } },
        'VALIDATION_FAILED',
        'content',
      ],
      [
        I.postThreads,
        co,
        { body: { type: 'DIRECT', recipientId: 5, content: 'x' } },
        'VALIDATION_FAILED',
        'recipientId',
      ],
      [
        I.postThreads,
        co,
        { body: { type: 'GROUP', recipientId: s1.id, content: 'x' } },
        'VALIDATION_FAILED',
        'type',
      ],
      [
        I.postThreads,
        primary,
        { body: { type: 'CLASS', classId: cls.id, title: 'Poll', kind: 'poll', content: 'x' } },
        'VALIDATION_FAILED',
        'kind',
      ],
      [
        I.postThreads,
        primary,
        { body: { type: 'CLASS', classId: cls.id, title: '  ', kind: 'discussion', content: 'x' } },
        'VALIDATION_FAILED',
        'title',
      ],
      // student POST: exactly one of threadId and recipientId
      [
        S.postThreads,
        s1,
        { body: { threadId: thread.id, recipientId: co.id, content: 'x' } },
        'VALIDATION_FAILED',
        'threadId',
      ],
      [S.postThreads, s1, { body: { content: 'x' } }, 'VALIDATION_FAILED', 'threadId'],
      [S.postThreads, s1, { body: { threadId: 7, content: 'x' } }, 'VALIDATION_FAILED', 'threadId'],
      [S.postThreads, s1, { body: { threadId: thread.id, content: ' ' } }, 'VALIDATION_FAILED', 'content'],
      [S.postThreads, s1, { body: { recipientId: co.id, content: tooLong } }, 'VALIDATION_FAILED', 'content'],
      // settings
      [I.updateThread, co, { params: tid, body: {} }, 'VALIDATION_FAILED', '_'],
      [I.updateThread, co, { params: tid, body: { muted: 'yes' } }, 'VALIDATION_FAILED', 'muted'],
      [S.updateThread, s1, { params: tid, body: { archived: 1 } }, 'VALIDATION_FAILED', 'archived'],
      [I.updateThread, co, { params: tid, body: { title: '' } }, 'VALIDATION_FAILED', 'title'],
      // read
      [I.readThread, co, { params: tid, body: { upToMessageId: 5 } }, 'VALIDATION_FAILED', 'upToMessageId'],
      [
        I.readThread,
        co,
        { params: tid, body: { upToMessageId: elsewhere.message.id } },
        'VALIDATION_FAILED',
        'upToMessageId',
      ],
      [
        I.readThread,
        co,
        { params: tid, body: { upToMessageId: randomUUID() } },
        'VALIDATION_FAILED',
        'upToMessageId',
      ],
      // message page queries
      [I.listMessages, co, { params: tid, query: { before: 'garbage' } }, 'VALIDATION_FAILED', 'before'],
      [S.listMessages, s1, { params: tid, query: { after: '%%%' } }, 'VALIDATION_FAILED', 'after'],
      [I.listMessages, co, { params: tid, query: { limit: '0' } }, 'VALIDATION_FAILED', 'limit'],
      [I.listMessages, co, { params: tid, query: { limit: '101' } }, 'VALIDATION_FAILED', 'limit'],
      [I.listMessages, co, { params: tid, query: { limit: 'ten' } }, 'VALIDATION_FAILED', 'limit'],
      [I.listMessages, co, { params: tid, query: { before: farFuture } }, 'VALIDATION_FAILED', 'before'],
      [S.listMessages, s1, { params: tid, query: { after: farFuture } }, 'VALIDATION_FAILED', 'after'],
      [
        I.listMessages,
        co,
        { params: tid, query: { before: page.olderCursor!, after: page.newerCursor! } },
        'VALIDATION_FAILED',
        'before',
      ],
      // thread list queries
      [I.listThreads, co, { query: { cursor: 'garbage' } }, 'VALIDATION_FAILED', 'cursor'],
      [S.listThreads, s1, { query: { limit: '0' } }, 'VALIDATION_FAILED', 'limit'],
      [I.listThreads, co, { query: { limit: '101' } }, 'VALIDATION_FAILED', 'limit'],
      [I.listThreads, co, { query: { type: 'GROUP' } }, 'VALIDATION_FAILED', 'type'],
      [S.listThreads, s1, { query: { unread: 'maybe' } }, 'VALIDATION_FAILED', 'unread'],
      [I.listThreads, co, { query: { archived: 'yes' } }, 'VALIDATION_FAILED', 'archived'],
      [S.listThreads, s1, { query: { cursor: farFuture } }, 'VALIDATION_FAILED', 'cursor'],
      [I.listThreads, co, { query: { q: 'a\u0000b' } }, 'VALIDATION_FAILED', 'q'],
      // PostgreSQL text cannot hold NUL: a 400, not a database error
      [I.sendMessage, co, { params: tid, body: { content: 'a\u0000b' } }, 'VALIDATION_FAILED', 'content'],
      [I.editMessage, co, { params: mid, body: { content: '\u0000' } }, 'VALIDATION_FAILED', 'content'],
    ];
    for (const [route, user, opts, code, field] of cases) {
      const res = await hit(route, user, opts);
      const label = `${route.area} ${route.name} ${JSON.stringify(opts.body ?? opts.query)?.slice(0, 80)}`;
      expect(res.status, label).toBe(400);
      const body = expectError(res, 400, code, field);
      if (code === 'BAD_REQUEST') expect(body.error.fields, label).toBeUndefined();
      if (field) expect(body.error.fields?.[field]?.length, label).toBeGreaterThan(0);
    }
    expect(await snapshot()).toEqual(before);

    // The limit itself is fine: exactly 10,000 characters are accepted and stored whole.
    const max = 'b'.repeat(10_000);
    const ok = await hit(I.sendMessage, co, { params: tid, body: { content: max } });
    expect(ok.status).toBe(201);
    const okMsg = ZMessage.parse(ok.body.data);
    expect(okMsg.content).toHaveLength(10_000);
    expect((await messageRow(okMsg.id))?.content).toBe(max);
    const okEdit = await hit(I.editMessage, co, {
      params: { messageId: okMsg.id },
      body: { content: `${'c'.repeat(10_000)}  ` },
    });
    expect(okEdit.status).toBe(200);
    expect((await messageRow(okMsg.id))?.content).toBe('c'.repeat(10_000));
  });

  it('answers 409 MESSAGE_DELETED for an edit of a deleted message and 409 IDEMPOTENCY_KEY_REUSED for a key from another thread', async () => {
    const a = await setupThread(co.id, { type: 'DIRECT', recipientId: s2.id, content: 'Thread A' });
    const b = await setupThread(co.id, { type: 'DIRECT', recipientId: s3.id, content: 'Thread B' });
    // Keys already used: the primary's in a DIRECT thread, s2's in a class discussion.
    const seededKey = `seed-${randomUUID()}`;
    await setupThread(primary.id, {
      type: 'DIRECT',
      recipientId: s2.id,
      content: 'Seeded',
      clientMessageId: seededKey,
    });
    const s2Key = `s2-${randomUUID()}`;
    const seededDisc = await setupThread(primary.id, {
      type: 'CLASS',
      classId: cls.id,
      title: 'Seeded discussion',
      kind: 'discussion',
      content: 'x',
    });
    await sendMessageDomain(
      { db: t.db },
      { threadId: seededDisc.thread.id, userId: s2.id, content: 'mine', clientMessageId: s2Key },
    );

    const sent = ZMessage.parse(
      (await hit(I.sendMessage, co, { params: { threadId: a.thread.id }, body: { content: 'typo' } })).body
        .data,
    );
    expect((await hit(I.deleteMessage, co, { params: { messageId: sent.id } })).status).toBe(200);
    // Deleting again is harmless and returns the same tombstone.
    const again = await hit(I.deleteMessage, co, { params: { messageId: sent.id } });
    expect([again.status, ZMessage.parse(again.body.data).content]).toEqual([200, null]);
    const deletedRow = await messageRow(sent.id);
    expectError(
      await hit(I.editMessage, co, { params: { messageId: sent.id }, body: { content: 'fixed' } }),
      409,
      'MESSAGE_DELETED',
    );
    expect(await messageRow(sent.id)).toEqual(deletedRow);

    const key = `key-${randomUUID()}`;
    const first = await hit(I.sendMessage, co, {
      params: { threadId: a.thread.id },
      body: { content: 'To A', clientMessageId: key },
    });
    expect(first.status).toBe(201);
    const seqB = (await threadRow(b.thread.id))?.lastMessageSeq;
    expectError(
      await hit(I.sendMessage, co, {
        params: { threadId: b.thread.id },
        body: { content: 'To B', clientMessageId: key },
      }),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    const withKey = await t.db.select().from(messages).where(eq(messages.clientMessageId, key));
    expect(withKey.map((m) => [m.threadId, m.content])).toEqual([[a.thread.id, 'To A']]);
    expect((await threadRow(b.thread.id))?.lastMessageSeq).toBe(seqB);

    // Starting a conversation with a key already used in another one is the same client bug: the
    // request names a different conversation, so it is refused rather than answered with the old one.
    const before = await snapshot();
    expectError(
      await hit(I.postThreads, co, {
        body: { type: 'DIRECT', recipientId: s1.id, content: 'To s1', clientMessageId: key },
      }),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expectError(
      await hit(I.postThreads, primary, {
        body: { type: 'CLASS', classId: cls.id, title: 'Reused', content: 'x', clientMessageId: seededKey },
      }),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expectError(
      await hit(S.postThreads, s2, { body: { recipientId: co.id, content: 'Hi', clientMessageId: s2Key } }),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await snapshot()).toEqual(before);

    // The student reply route says the same.
    const sKey = `skey-${randomUUID()}`;
    const disc = await setupThread(primary.id, {
      type: 'CLASS',
      classId: cls.id,
      title: 'Key reuse',
      kind: 'discussion',
      content: 'x',
    });
    expect(
      (
        await hit(S.postThreads, s2, {
          body: { threadId: a.thread.id, content: 'one', clientMessageId: sKey },
        })
      ).status,
    ).toBe(201);
    expectError(
      await hit(S.postThreads, s2, {
        body: { threadId: disc.thread.id, content: 'two', clientMessageId: sKey },
      }),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  // ---- 5. idempotency over HTTP -----------------------------------------------------------------

  it('a retried send (same clientMessageId) answers 201 with the same body and Idempotent-Replayed, and stores one row', async () => {
    const { thread } = await setupThread(co.id, { type: 'DIRECT', recipientId: s3.id, content: 'Hi Liam' });
    const eventsBefore = api.events.length;

    for (const [route, user, opts] of [
      [
        I.sendMessage,
        co,
        {
          params: { threadId: thread.id },
          body: { content: 'Once only', clientMessageId: `i-${randomUUID()}` },
        },
      ],
      [
        S.sendMessage,
        s3,
        {
          params: { threadId: thread.id },
          body: { content: 'Me too', clientMessageId: `s-${randomUUID()}` },
        },
      ],
      [
        S.postThreads,
        s3,
        { body: { threadId: thread.id, content: 'Reply once', clientMessageId: `r-${randomUUID()}` } },
      ],
    ] as Array<[Route, User, CallOpts]>) {
      const seq = (await threadRow(thread.id))!.lastMessageSeq;
      const first = await hit(route, user, opts);
      const second = await hit(route, user, opts);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body).toEqual(first.body);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      const msg = ZMessage.parse(first.body.data);
      const key = (opts.body as { clientMessageId: string }).clientMessageId;
      expect(msg.clientMessageId).toBe(key);
      const rows = await t.db.select().from(messages).where(eq(messages.clientMessageId, key));
      expect(rows.map((r) => r.id)).toEqual([msg.id]);
      expect((await threadRow(thread.id))?.lastMessageSeq).toBe(seq + 1);
    }
    // One message.created event per stored message, none for the replays.
    expect(api.events.slice(eventsBefore).filter((e) => e.type === 'message.created')).toHaveLength(3);

    // Creating a thread with a client key: the retry returns the same thread and message.
    const createKey = `c-${randomUUID()}`;
    const classBody = {
      type: 'CLASS',
      classId: cls.id,
      title: 'Retry me',
      kind: 'announcement',
      content: 'Only one of me',
      clientMessageId: createKey,
    };
    const c1 = await hit(I.postThreads, primary, { body: classBody });
    const c2 = await hit(I.postThreads, primary, { body: classBody });
    expect([c1.status, c2.status]).toEqual([201, 201]);
    expect(c2.body).toEqual(c1.body);
    expect(c2.headers.get('idempotent-replayed')).toBe('true');
    expect(
      await t.db
        .select({ id: messageThreads.id })
        .from(messageThreads)
        .where(eq(messageThreads.title, 'Retry me')),
    ).toEqual([{ id: ZCreatedThread.parse(c1.body.data).thread.id }]);

    // DIRECT threads are one per pair, whoever starts them and however often.
    const pairKey = `p-${randomUUID()}`;
    const d1 = await hit(S.postThreads, s1, {
      body: { recipientId: co.id, content: 'First', clientMessageId: pairKey },
    });
    const d1again = await hit(S.postThreads, s1, {
      body: { recipientId: co.id, content: 'First', clientMessageId: pairKey },
    });
    expect(d1again.body).toEqual(d1.body);
    expect(d1again.headers.get('idempotent-replayed')).toBe('true');
    const d2 = await hit(S.postThreads, s1, { body: { recipientId: co.id, content: 'Second' } });
    const d3 = await hit(I.postThreads, co, {
      body: { type: 'DIRECT', recipientId: s1.id, content: 'Third' },
    });
    expect([d1.status, d2.status, d3.status]).toEqual([201, 201, 201]);
    const [t1, t2, t3] = [d1, d2, d3].map((r) => ZCreatedThread.parse(r.body.data));
    expect(new Set([t1!.thread.id, t2!.thread.id, t3!.thread.id]).size).toBe(1);
    expect([t1!.message.seq, t2!.message.seq, t3!.message.seq]).toEqual([
      t1!.message.seq,
      t1!.message.seq + 1,
      t1!.message.seq + 2,
    ]);
    expect(d2.headers.get('idempotent-replayed')).toBeNull();
    const pairThreads = await t.db
      .select({ id: messageThreads.id })
      .from(messageThreads)
      .where(eq(messageThreads.directKey, [s1.id, co.id].sort().join(':')));
    expect(pairThreads).toEqual([{ id: t1!.thread.id }]);
  });

  // ---- 6. the send rate limit over HTTP ---------------------------------------------------------

  it('rate-limits sends to 30 a minute per user: the 31st is 429 RATE_LIMITED with Retry-After; others are unaffected', async () => {
    const { instructor, student, thread } = await createDirectPair(t.db);
    const limiter = createMemoryRateLimiter();
    setAppServices({ ...api.services, rateLimiter: limiter });
    try {
      const keys: string[] = [];
      for (let i = 1; i <= 30; i++) {
        const key = `rl-${i}-${randomUUID()}`;
        keys.push(key);
        const res = await hit(I.sendMessage, instructor, {
          params: { threadId: thread.id },
          body: { content: `Message ${i}`, clientMessageId: key },
        });
        expect(res.status, `send ${i}`).toBe(201);
      }
      const limited = await hit(I.sendMessage, instructor, {
        params: { threadId: thread.id },
        body: { content: 'Message 31' },
      });
      const body = expectError(limited, 429, 'RATE_LIMITED');
      expect(body.error.message).toBe('Too many messages sent');
      const retryAfter = limited.headers.get('retry-after');
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
      // Starting a thread counts too.
      expectError(
        await hit(I.postThreads, instructor, {
          body: { type: 'DIRECT', recipientId: student.id, content: 'x' },
        }),
        429,
        'RATE_LIMITED',
      );
      // A retry of an already stored message is still answered: nothing new is written.
      const replay = await hit(I.sendMessage, instructor, {
        params: { threadId: thread.id },
        body: { content: 'Message 30', clientMessageId: keys[29] },
      });
      expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
      const stored = await t.db.select().from(messages).where(eq(messages.threadId, thread.id));
      expect(stored).toHaveLength(30);
      expect(stored.some((m) => m.content === 'Message 31')).toBe(false);
      // The other person in the thread has their own budget.
      const other = await hit(S.sendMessage, student, {
        params: { threadId: thread.id },
        body: { content: 'Hi!' },
      });
      expect(other.status).toBe(201);
    } finally {
      setAppServices(api.services);
      await limiter.close();
    }
  });

  // ---- every handler was exercised --------------------------------------------------------------

  it('exercised every route handler of both areas with a success and with errors', () => {
    for (const route of ALL_ROUTES) {
      const statuses = answered.get(route) ?? [];
      const label = `${route.method} ${route.path}`;
      expect(
        statuses.some((s) => s >= 200 && s < 300),
        label,
      ).toBe(true);
      expect(statuses, label).toContain(401);
      expect(statuses, label).toContain(403);
      expect(
        statuses.every((s) => s < 500),
        label,
      ).toBe(true);
    }
  });
});

// ---- 7. the OpenAPI document ----------------------------------------------------------------------

describe('GET /api/openapi.json', () => {
  /** The settings and notification routes' folders (src/app/api/_notifications/operations.ts). */
  const SETTINGS_AREAS = ['instructor', 'user'] as const;
  const appDir = path.resolve(import.meta.dirname, '../../src/app');

  function routeFiles(dir: string): string[] {
    return fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => path.basename(f) === 'route.ts')
      .map((f) => path.join(dir, f))
      .sort();
  }

  it('is OpenAPI 3.1 and lists every exported method of every messaging route file, with resolvable $refs', async () => {
    const res = openapi.GET();
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters: unknown[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');

    const files = [
      ...routeFiles(path.join(appDir, 'api/instructor/messages')),
      ...routeFiles(path.join(appDir, 'api/user/messages')),
      ...routeFiles(path.join(appDir, 'api/instructor/dashboard')),
      ...routeFiles(path.join(appDir, 'api/instructor/analytics')),
      ...routeFiles(path.join(appDir, 'api/messages')),
      ...SETTINGS_AREAS.flatMap((area) => [
        ...routeFiles(path.join(appDir, `api/${area}/settings`)),
        ...routeFiles(path.join(appDir, `api/${area}/notifications`)),
      ]),
    ];
    // Settings: /settings, /notifications/push-key and /notifications/push-subscriptions per area.
    expect(files).toHaveLength(
      12 + COMPOSE_ROUTE_FILES + ANALYTICS_ROUTES.length + ANY_ROLE_ROUTES.length + 3 * SETTINGS_AREAS.length,
    );
    const exported: string[] = [];
    for (const file of files) {
      const apiPath = path
        .relative(appDir, path.dirname(file))
        .split(path.sep)
        .map((seg) => seg.replace(/^\[(\w+)\]$/, '{$1}'))
        .join('/');
      const mod = (await import(file)) as Record<string, unknown>;
      const methods = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter(
        (m) => typeof mod[m] === 'function',
      );
      expect(methods.length, file).toBeGreaterThan(0);
      for (const method of methods) {
        const key = `${method} /${apiPath}`;
        exported.push(key);
        const op = doc.paths[`/${apiPath}`]?.[method.toLowerCase()];
        expect(op, key).toBeDefined();
        const success = Object.keys(op!.responses).filter((s) => s.startsWith('2'));
        expect(success, key).toHaveLength(1);
        // Routes open to every role have no wrong role to refuse.
        const refusals = ANY_ROLE_ROUTES.includes(key) ? ['400', '401'] : ['400', '401', '403'];
        expect(Object.keys(op!.responses), key).toEqual(expect.arrayContaining(refusals));
        for (const name of apiPath.match(/\{(\w+)\}/g) ?? []) {
          expect(op!.parameters, key).toContainEqual(
            expect.objectContaining({ name: name.slice(1, -1), in: 'path', required: true }),
          );
        }
      }
    }
    // The routes these tests drive are exactly the routes on disk, and nothing else is documented.
    expect([...exported].sort()).toEqual(
      [
        ...ALL_ROUTES.map((r) => `${r.method} ${r.path}`),
        ...COMPOSE_ROUTES,
        ...TOOLS_ROUTES,
        ...ANALYTICS_ROUTES,
        ...ANY_ROLE_ROUTES,
        ...SETTINGS_AREAS.flatMap((area) =>
          [
            'GET /settings',
            'PUT /settings',
            'GET /notifications/push-key',
            'POST /notifications/push-subscriptions',
            'DELETE /notifications/push-subscriptions',
          ].map((r) => r.replace(' /', ` /api/${area}/`)),
        ),
      ].sort(),
    );
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documented.sort()).toEqual([...exported].sort());

    // Successes as the handlers answer them.
    expect(Object.keys(doc.paths['/api/instructor/messages/threads']!.post!.responses)).toContain('201');
    expect(
      Object.keys(doc.paths['/api/user/messages/threads/{threadId}/messages']!.post!.responses),
    ).toContain('201');
    expect(doc.paths['/api/user/messages/threads/{threadId}/messages']!.post!.responses['429']).toMatchObject(
      {
        headers: { 'Retry-After': expect.anything() },
      },
    );

    // Every $ref points at a component that exists.
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    const schemas = Object.keys(doc.components.schemas);
    expect(schemas).toEqual(
      expect.arrayContaining([
        'Error',
        'Message',
        'ThreadSummary',
        'ThreadRef',
        'ThreadDetail',
        'MessagePage',
        'ReadState',
      ]),
    );
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(schemas, ref).toContain(ref.slice('#/components/schemas/'.length));
    }
  });
});
