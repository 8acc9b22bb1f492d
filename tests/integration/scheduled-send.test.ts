// Scheduled send through its real route handlers and its real job, on PGlite and (with
// DATABASE_URL) Postgres: scheduled, listed, edited and cancelled while waiting; sent exactly once
// when two pollers race and after a process died between sending and recording it; the policy
// checked again at send time; a class announcement created at its time.
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as iOne from '@/app/api/instructor/messages/scheduled/[scheduledId]/route';
import * as iScheduled from '@/app/api/instructor/messages/scheduled/route';
import * as sScheduled from '@/app/api/user/messages/scheduled/route';
import { messageThreads, messages, scheduledMessages, type Class, type User } from '@/db/schema';
import { removeEnrollment } from '@/classroom/enroll-student';
import { ZScheduled, type TScheduled } from '@/messaging/scheduled-messages';
import { sendDueScheduled } from '@/messaging/send-due-scheduled';
import { sendMessage } from '@/messaging/send-message';
import { createClass, createThread, createUser, enrollStudent } from '../factories';
import { call, installTestServices, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

const BASE = '/api/instructor/messages/scheduled';
const soon = (ms = 0) => new Date(Date.now() + ms).toISOString();

describe.each(dbKinds())('scheduled send on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  let maya: User;
  let sam: User;
  let cls: Class;
  let direct: string;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    api = installTestServices(t.db);
    maya = await createUser(t.db, { role: 'INSTRUCTOR', name: 'Maya Chen' });
    sam = await createUser(t.db, { name: 'Sam Rivera' });
    cls = await createClass(t.db, { instructors: [{ id: maya.id }] });
    await enrollStudent(t.db, { classId: cls.id, studentId: sam.id });
    direct = (await createThread(t.db, { type: 'DIRECT', createdById: maya.id, participantIds: [sam.id] }))
      .id;
  }, 60_000);

  afterAll(async () => {
    await t?.dispose();
  });

  async function schedule(body: Record<string, unknown>, user: User = maya) {
    const handler = user.role === 'STUDENT' ? sScheduled.POST : iScheduled.POST;
    return call(handler, BASE, {
      cookie: await api.cookieFor(user),
      body: { timeZone: 'Europe/Berlin', ...body },
    });
  }

  const sentWithKey = async (id: string) =>
    t.db
      .select()
      .from(messages)
      .where(eq(messages.clientMessageId, `scheduled.${id}`));

  it('is listed, edited and cancelled while it waits, and then can no longer change', async () => {
    const created = await schedule({ threadId: direct, content: 'Quiz tomorrow', sendAt: soon(3_600_000) });
    expect(created.status).toBe(201);
    const item = ZScheduled.parse(created.body.data);
    expect(item).toMatchObject({ status: 'scheduled', timeZone: 'Europe/Berlin', threadId: direct });

    const cookie = await api.cookieFor(maya);
    const list = await call(iScheduled.GET, BASE, { cookie });
    expect(list.body.data.scheduled.map((s: TScheduled) => s.id)).toContain(item.id);

    const at = soon(7_200_000);
    const edited = await call(iOne.PATCH, `${BASE}/${item.id}`, {
      cookie,
      params: { scheduledId: item.id },
      body: { content: 'Quiz on Friday', sendAt: at },
      method: 'PATCH',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ content: 'Quiz on Friday', sendAt: at });

    const cancelled = await call(iOne.DELETE, `${BASE}/${item.id}`, {
      cookie,
      params: { scheduledId: item.id },
      method: 'DELETE',
    });
    expect(cancelled.body.data.status).toBe('cancelled');
    const again = await call(iOne.PATCH, `${BASE}/${item.id}`, {
      cookie,
      params: { scheduledId: item.id },
      body: { content: 'x' },
      method: 'PATCH',
    });
    expect({ status: again.status, code: again.body.error.code }).toEqual({
      status: 409,
      code: 'SCHEDULE_CLOSED',
    });
    // Someone else's is not there at all.
    const other = await call(sScheduled.GET, '/api/user/messages/scheduled', {
      cookie: await api.cookieFor(sam),
    });
    expect(other.body.data.scheduled).toEqual([]);

    // Nothing was sent, even when the time comes.
    await t.db
      .update(scheduledMessages)
      .set({ sendAt: new Date(Date.now() - 1000) })
      .where(eq(scheduledMessages.id, item.id));
    await sendDueScheduled(api.services);
    expect(await sentWithKey(item.id)).toEqual([]);
  });

  it('refuses bad input with clear 4xx answers', async () => {
    const past = await schedule({
      threadId: direct,
      content: 'x',
      sendAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect({ status: past.status, code: past.body.error.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(past.body.error.fields.sendAt).toBeDefined();
    const zone = await schedule({
      threadId: direct,
      content: 'x',
      sendAt: soon(60_000),
      timeZone: 'Mars/Olympus',
    });
    expect(zone.status).toBe(400);
    const both = await schedule({ threadId: direct, classId: cls.id, content: 'x', sendAt: soon(60_000) });
    expect(both.status).toBe(400);
    const foreign = await schedule({ threadId: 'no-such-thread', content: 'x', sendAt: soon(60_000) });
    expect(foreign.status).toBe(404);
  });

  it('sends each due message exactly once across two racing pollers and a process that died', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await schedule({ threadId: direct, content: `Reminder ${i}`, sendAt: soon() });
      ids.push(res.body.data.id);
    }
    // A process claimed the first one and sent it, then died before recording it: the row is left
    // `sending`, with a claim old enough to be taken as dead.
    await sendMessage(
      { db: t.db },
      { threadId: direct, userId: maya.id, content: 'Reminder 0', clientMessageId: `scheduled.${ids[0]}` },
    );
    await t.db
      .update(scheduledMessages)
      .set({ status: 'sending', claimedAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(scheduledMessages.id, ids[0]!));

    // Two pollers at once (on Postgres, on two connections of the pool), as two processes would.
    const results = await Promise.all([sendDueScheduled(api.services), sendDueScheduled(api.services)]);
    expect(results[0]!.sent + results[1]!.sent).toBe(12);
    // A later pass finds nothing more to do.
    expect(await sendDueScheduled(api.services)).toEqual({ sent: 0, failed: 0 });

    for (const id of ids) expect(await sentWithKey(id)).toHaveLength(1);
    const rows = await t.db
      .select()
      .from(scheduledMessages)
      .where(like(scheduledMessages.content, 'Reminder %'));
    expect(rows.every((r) => r.status === 'sent' && r.messageId !== null)).toBe(true);
  });

  it('checks the policy again at send time: a student who left is not messaged', async () => {
    const other = await createUser(t.db, { name: 'Liam Murphy' });
    await enrollStudent(t.db, { classId: cls.id, studentId: other.id });
    const thread = (
      await createThread(t.db, { type: 'DIRECT', createdById: maya.id, participantIds: [other.id] })
    ).id;
    const res = await schedule({ threadId: thread, content: 'See you Monday', sendAt: soon(1_000) });
    expect(res.status).toBe(201);
    await removeEnrollment({ db: t.db }, { classId: cls.id, studentId: other.id });
    await t.db
      .update(scheduledMessages)
      .set({ sendAt: new Date(Date.now() - 1000) })
      .where(eq(scheduledMessages.id, res.body.data.id));
    expect(await sendDueScheduled(api.services)).toEqual({ sent: 0, failed: 1 });
    const [row] = await t.db
      .select()
      .from(scheduledMessages)
      .where(eq(scheduledMessages.id, res.body.data.id));
    expect(row?.status).toBe('failed');
    expect(row?.failureReason).toMatch(/not in a class together/);
    expect(await sentWithKey(res.body.data.id)).toEqual([]);
  });

  it('creates a scheduled class announcement at its time, once', async () => {
    const res = await schedule({
      classId: cls.id,
      title: 'Snow day',
      kind: 'announcement',
      content: 'No class today.',
      sendAt: soon(),
    });
    expect(res.status).toBe(201);
    // A student cannot start a class thread: to them the class is not one of theirs.
    expect(
      (
        await schedule(
          { classId: cls.id, title: 'x', kind: 'announcement', content: 'x', sendAt: soon() },
          sam,
        )
      ).status,
    ).toBe(404);
    await sendDueScheduled(api.services);
    await sendDueScheduled(api.services);
    const threads = await t.db
      .select()
      .from(messageThreads)
      .where(and(eq(messageThreads.classId, cls.id), eq(messageThreads.title, 'Snow day')));
    expect(threads).toHaveLength(1);
    expect(threads[0]!.studentsCanReply).toBe(false);
    const [row] = await t.db
      .select()
      .from(scheduledMessages)
      .where(eq(scheduledMessages.id, res.body.data.id));
    expect(row).toMatchObject({ status: 'sent', sentThreadId: threads[0]!.id });
  });
});
