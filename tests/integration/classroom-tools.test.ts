// Issue 19's classroom tools through their real route handlers, with real sessions, on PGlite and
// (with DATABASE_URL) Postgres: sending individually to a class (threads made or reused, a retry
// that adds nothing, one send against the limit, a student who left skipped with a reason), the
// roll-up as students read and reply, a nudge of an announcement's non-readers, and mark all read
// with its undo.
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as iBatch from '@/app/api/instructor/messages/individual/[batchId]/route';
import * as iIndividual from '@/app/api/instructor/messages/individual/route';
import * as sReadAll from '@/app/api/user/messages/read-all/route';
import * as sReadAllUndo from '@/app/api/user/messages/read-all/undo/route';
import * as sUnread from '@/app/api/user/messages/unread/route';
import { messageBatchRecipients, messageThreads, messages, type Class, type User } from '@/db/schema';
import { removeEnrollment } from '@/classroom/enroll-student';
import { ZBatchRollup, type TBatchRollup } from '@/messaging/batch-rollup';
import { createThread as createThreadDomain } from '@/messaging/create-thread';
import { markThreadRead } from '@/messaging/mark-read';
import { sendMessage, sendRatePerMinute } from '@/messaging/send-message';
import { ZErrorBody } from '@/server/operation';
import { createClass, createThread, createUser, enrollStudent } from '../factories';
import { call, installTestServices, type CallResult, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

const INDIVIDUAL = '/api/instructor/messages/individual';

function expectError(res: CallResult, status: number, code: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  ZErrorBody.parse(res.body);
}

describe.each(dbKinds())('classroom tools on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  let maya: User;
  let olga: User;
  let cls: Class;
  let students: User[];
  let leaver: User;
  /** DIRECT threads Maya already had with the first five students. */
  const existing = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    api = installTestServices(t.db);
    // A send limit of 2 a minute: a batch of 30 must count as one send.
    api.services.sendRateLimit = sendRatePerMinute(2);
    maya = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Maya Chen' });
    olga = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Olga Ivanova' });
    cls = await createClass(t.db, { name: 'Algebra I', instructors: [{ id: maya.id }] });
    students = [];
    for (let i = 0; i < 30; i++) {
      const s = await createUser(t.db, { name: `Student ${String(i).padStart(2, '0')}` });
      await enrollStudent(t.db, { classId: cls.id, studentId: s.id });
      students.push(s);
    }
    for (const s of students.slice(0, 5)) {
      const th = await createThread(t.db, { type: 'DIRECT', createdById: maya.id, participantIds: [s.id] });
      existing.set(s.id, th.id);
    }
    leaver = students[29]!;
  }, 120_000);

  afterAll(async () => {
    await t?.dispose();
  });

  async function post(body: unknown, user: User = maya) {
    return call(iIndividual.POST, INDIVIDUAL, { cookie: await api.cookieFor(user), body });
  }

  async function rollup(batchId: string, user: User = maya): Promise<CallResult<{ data: TBatchRollup }>> {
    return call(iBatch.GET, `${INDIVIDUAL}/${batchId}`, {
      cookie: await api.cookieFor(user),
      params: { batchId },
    });
  }

  const directMessagesOf = async () => {
    const [row] = await t.db
      .select({ n: count() })
      .from(messages)
      .innerJoin(messageThreads, eq(messageThreads.id, messages.threadId))
      .where(and(eq(messages.senderId, maya.id), eq(messageThreads.type, 'DIRECT')));
    return row?.n ?? 0;
  };

  let batch: TBatchRollup;

  it('sends to 30 students in their own DIRECT threads, reusing existing ones and skipping one who left', async () => {
    // The last student leaves after being picked: skipped, with the reason.
    await removeEnrollment({ db: t.db }, { classId: cls.id, studentId: leaver.id });
    const res = await post({
      content: 'Quiz moved to Friday.',
      clientBatchId: 'batch-quiz-1',
      recipientIds: students.map((s) => s.id),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('Idempotent-Replayed')).toBeNull();
    batch = ZBatchRollup.parse(res.body.data);
    expect(batch.counts).toEqual({ recipients: 30, sent: 29, skipped: 1, read: 0, replied: 0 });
    const skipped = batch.recipients.find((r) => r.recipientId === leaver.id)!;
    expect(skipped).toMatchObject({ status: 'skipped', threadId: null });
    expect(skipped.skipReason).toMatch(/no longer enrolled/i);

    const sent = batch.recipients.filter((r) => r.status === 'sent');
    // Each recipient's own thread: 29 distinct ones, the five existing reused.
    expect(new Set(sent.map((r) => r.threadId)).size).toBe(29);
    for (const [studentId, threadId] of existing) {
      expect(sent.find((r) => r.recipientId === studentId)?.threadId).toBe(threadId);
    }
    const threads = await t.db
      .select({ id: messageThreads.id, directKey: messageThreads.directKey })
      .from(messageThreads)
      .where(eq(messageThreads.type, 'DIRECT'));
    expect(threads).toHaveLength(29);
    for (const th of threads) expect(th.directKey).toContain(maya.id);
    expect(await directMessagesOf()).toBe(29);
    const stored = await t.db.select().from(messages).where(eq(messages.id, sent[0]!.messageId!));
    expect(stored[0]?.content).toBe('Quiz moved to Friday.');
  });

  it('a retry with the same key adds nothing and answers with the same batch', async () => {
    const res = await post({
      content: 'Quiz moved to Friday.',
      clientBatchId: 'batch-quiz-1',
      recipientIds: students.map((s) => s.id),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('Idempotent-Replayed')).toBe('true');
    expect(res.body.data.id).toBe(batch.id);
    expect(await directMessagesOf()).toBe(29);
    const [rows] = await t.db
      .select({ n: count() })
      .from(messageBatchRecipients)
      .where(eq(messageBatchRecipients.batchId, batch.id));
    expect(rows?.n).toBe(30);
  });

  it('counts the batch as one send against the limit', async () => {
    // The limit is 2 a minute: the batch above took one, this second batch the other…
    const second = await post({ content: 'Bring a calculator.', clientBatchId: 'batch-2', classId: cls.id });
    expect(second.status).toBe(201);
    expect(second.body.data.counts.sent).toBe(29);
    // …and a third is refused as a whole, with Retry-After.
    const third = await post({ content: 'One more thing.', clientBatchId: 'batch-3', classId: cls.id });
    expectError(third, 429, 'RATE_LIMITED');
    expect(Number(third.headers.get('Retry-After'))).toBeGreaterThan(0);
  });

  it('the roll-up follows reads and replies, and is the sender’s only', async () => {
    const sent = batch.recipients.filter((r) => r.status === 'sent');
    const ctx = api.services;
    // Three read it; two of them, and one more, reply (a reply reads it too).
    for (const r of sent.slice(0, 3)) {
      await markThreadRead(ctx, {
        userId: r.recipientId,
        threadId: r.threadId!,
        input: { upToMessageId: r.messageId! },
      });
    }
    for (const r of [sent[0]!, sent[1]!, sent[3]!]) {
      await sendMessage({ db: t.db }, { userId: r.recipientId, threadId: r.threadId!, content: 'Thanks!' });
    }
    const res = await rollup(batch.id);
    expect(res.status).toBe(200);
    const view = ZBatchRollup.parse(res.body.data);
    expect(view.counts).toEqual({ recipients: 30, sent: 29, skipped: 1, read: 4, replied: 3 });
    const byId = new Map(view.recipients.map((r) => [r.recipientId, r]));
    expect(byId.get(sent[0]!.recipientId)).toMatchObject({ read: true, replied: true });
    expect(byId.get(sent[2]!.recipientId)).toMatchObject({ read: true, replied: false });
    expect(byId.get(sent[4]!.recipientId)).toMatchObject({ read: false, replied: false });

    // Another instructor, and a student, cannot see it.
    expectError(await rollup(batch.id, olga), 404, 'NOT_FOUND');
    expect((await rollup(batch.id, students[0]!)).status).toBe(403);
    expectError(await rollup('no-such-batch'), 404, 'NOT_FOUND');
  });

  it('nudges the students who have not read an announcement, with a link, recorded on it', async () => {
    const { thread } = await createThreadDomain(
      { db: t.db },
      {
        userId: maya.id,
        input: {
          type: 'CLASS',
          classId: cls.id,
          title: 'Field trip',
          kind: 'announcement',
          content: 'Forms due.',
        },
      },
    );
    const readers = students.slice(0, 2);
    for (const s of readers) await markThreadRead(api.services, { userId: s.id, threadId: thread.id });
    api.services.sendRateLimit = sendRatePerMinute(100);
    const res = await post({
      content: 'Please read this.',
      clientBatchId: 'nudge-1',
      nonReadersOf: thread.id,
    });
    expect(res.status).toBe(201);
    const nudge = ZBatchRollup.parse(res.body.data);
    // 29 current students (one left), 2 of whom read it.
    expect(nudge.counts.sent).toBe(27);
    expect(nudge.nudgeThreadId).toBe(thread.id);
    const ids = nudge.recipients.map((r) => r.recipientId);
    for (const s of readers) expect(ids).not.toContain(s.id);
    expect(ids).not.toContain(leaver.id);
    const [msg] = await t.db.select().from(messages).where(eq(messages.id, nudge.recipients[0]!.messageId!));
    expect(msg?.content).toContain(`/student/messages?thread=${thread.id}`);

    const list = await call(iIndividual.GET, INDIVIDUAL, {
      cookie: await api.cookieFor(maya),
      query: { nudgeThreadId: thread.id },
    });
    expect(list.status).toBe(200);
    expect(list.body.data.batches.map((b: { id: string }) => b.id)).toEqual([nudge.id]);
    expect(list.body.data.batches[0].counts.sent).toBe(27);
  });

  it('refuses bad input with clear 4xx answers', async () => {
    expectError(await post({ content: 'Hi', clientBatchId: 'bad-1' }), 400, 'VALIDATION_FAILED');
    expectError(
      await post({ content: '', clientBatchId: 'bad-2', classId: cls.id }),
      400,
      'VALIDATION_FAILED',
    );
    const tooMany = Array.from({ length: 101 }, (_, i) => `user-${i}`);
    expectError(
      await post({ content: 'Hi', clientBatchId: 'bad-3', recipientIds: tooMany }),
      400,
      'VALIDATION_FAILED',
    );
    // Olga does not teach Algebra I, and the announcement is not hers.
    expectError(
      await post({ content: 'Hi', clientBatchId: 'bad-4', classId: cls.id }, olga),
      404,
      'NOT_FOUND',
    );
    // A student cannot use the instructor route at all.
    expect(
      (await post({ content: 'Hi', clientBatchId: 'bad-5', classId: cls.id }, students[0]!)).status,
    ).toBe(403);
  });

  it('marks everything read, and Undo puts back what was not read since', async () => {
    const student = students[6]!;
    const cookie = await api.cookieFor(student);
    const unread = async () =>
      (await call(sUnread.GET, '/api/user/messages/unread', { cookie })).body.data as {
        unreadThreads: number;
      };
    const before = await unread();
    expect(before.unreadThreads).toBeGreaterThanOrEqual(2);

    const marked = await call(sReadAll.POST, '/api/user/messages/read-all', { cookie, method: 'POST' });
    expect(marked.status).toBe(200);
    expect(marked.body.data.threads).toBe(before.unreadThreads);
    expect((await unread()).unreadThreads).toBe(0);

    const undone = await call(sReadAllUndo.POST, '/api/user/messages/read-all/undo', {
      cookie,
      body: { undo: marked.body.data.undo },
    });
    expect(undone.status).toBe(200);
    expect(undone.body.data.restored).toBe(before.unreadThreads);
    expect(await unread()).toEqual(before);

    const bad = await call(sReadAllUndo.POST, '/api/user/messages/read-all/undo', {
      cookie,
      body: { undo: 'x' },
    });
    expectError(bad, 400, 'VALIDATION_FAILED');
  });
});
