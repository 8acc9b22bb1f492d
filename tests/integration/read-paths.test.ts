// The read paths that must stay flat with data (issue 14), checked for meaning rather than speed:
// unread counts stop at UNREAD_COUNT_CAP and every figure agrees on it; the thread list walks the
// participant rows' copy of the thread's activity, in order, with stable cursors and its filters.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import { messageParticipants, messageThreads, type MessageThread, type User } from '@/db/schema';
import { getInstructorDashboardStats } from '@/classroom/instructor-queries';
import {
  countUnread,
  countUnreadTotals,
  countUnreadTotalsForUsers,
  UNREAD_COUNT_CAP,
} from '@/messaging/count-unread';
import { getThread } from '@/messaging/get-thread';
import {
  listThreads,
  threadSummariesForParticipants,
  type TListThreadsOptions,
} from '@/messaging/list-threads';
import { deleteMessage } from '@/messaging/delete-message';
import { markThreadRead } from '@/messaging/mark-read';
import { sendMessage } from '@/messaging/send-message';
import { updateThreadSettings } from '@/messaging/update-thread-settings';
import { createClass, createThread, createUser, enrollStudent } from '../factories';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

describe.each(dbKinds())('read paths on %s', (kind) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.dispose());

  /**
   * `n` messages from `senderId` appended in one statement (a send per message would take minutes
   * here), then one more through the real send path, which moves the thread's counters and every
   * participant's activity as production does.
   */
  async function flood(thread: MessageThread, senderId: string, n: number): Promise<void> {
    await t.db.execute(sql`
      insert into messages (thread_id, sender_id, content, seq, created_at)
      select ${thread.id}, ${senderId}, 'flood ' || s, s, now() - interval '1 day' + s * interval '1 millisecond'
      from generate_series(1, ${n}) s`);
    await t.db
      .update(messageThreads)
      .set({
        lastMessageSeq: n,
        lastMessageAt: sql`now() - interval '1 day' + ${n} * interval '1 millisecond'`,
      })
      .where(eq(messageThreads.id, thread.id));
    await sendMessage({ db: t.db }, { threadId: thread.id, userId: senderId, content: 'and one more' });
  }

  describe('capped unread counts', () => {
    let reader: User;
    let big: MessageThread;
    let small: MessageThread;

    beforeAll(async () => {
      reader = await createUser(t.db, { role: 'INSTRUCTOR' });
      const loud = await createUser(t.db);
      const quiet = await createUser(t.db);
      const cls = await createClass(t.db, { instructors: [{ id: reader.id }] });
      for (const s of [loud, quiet]) await enrollStudent(t.db, { classId: cls.id, studentId: s.id });
      big = await createThread(t.db, { type: 'DIRECT', createdById: reader.id, participantIds: [loud.id] });
      small = await createThread(t.db, {
        type: 'DIRECT',
        createdById: reader.id,
        participantIds: [quiet.id],
      });
      await flood(big, loud.id, UNREAD_COUNT_CAP + 5);
      for (const content of ['one', 'two', 'three']) {
        await sendMessage({ db: t.db }, { threadId: small.id, userId: quiet.id, content });
      }
    });

    it('shows the cap for a thread past it, wherever the count appears', async () => {
      expect(await countUnread(t.db, big.id, reader.id, 0)).toBe(UNREAD_COUNT_CAP);
      const { threads } = await listThreads({ db: t.db }, { userId: reader.id });
      expect(threads.map((th) => [th.id, th.unreadCount])).toEqual([
        [small.id, 3],
        [big.id, UNREAD_COUNT_CAP],
      ]);
      expect(
        (await getThread({ db: t.db }, { userId: reader.id, threadId: big.id })).thread.unreadCount,
      ).toBe(UNREAD_COUNT_CAP);
      // Several threads in one call (a realtime round): each participant's row of each thread.
      const live = await threadSummariesForParticipants({ db: t.db }, [big.id, small.id]);
      const readerSees = (threadId: string) =>
        live.find((v) => v.userId === reader.id && v.threadId === threadId)?.summary;
      expect(readerSees(big.id)?.unreadCount).toBe(UNREAD_COUNT_CAP);
      expect(readerSees(small.id)?.unreadCount).toBe(3);
      expect(live.every((v) => v.summary.id === v.threadId)).toBe(true);
    });

    it('totals are sums of the capped counts, and agree with each other and the dashboard', async () => {
      const expected = { unreadMessages: UNREAD_COUNT_CAP + 3, unreadThreads: 2 };
      expect(await countUnreadTotals({ db: t.db }, { userId: reader.id })).toEqual(expected);
      expect(
        await countUnreadTotals({ db: t.db }, { userId: reader.id, includeMutedAndArchived: true }),
      ).toEqual(expected);
      const both = await countUnreadTotalsForUsers({ db: t.db }, { userIds: [reader.id] });
      expect(both.get(reader.id)).toEqual({ inbox: expected, all: expected });
      expect((await getInstructorDashboardStats({ db: t.db }, { userId: reader.id })).unreadMessages).toBe(
        expected.unreadMessages,
      );
    });

    it('keeps a capped thread in the unread filter, and marking it read brings it to 0', async () => {
      const unreadOnly = await listThreads({ db: t.db }, { userId: reader.id, unread: true });
      expect(unreadOnly.threads.map((th) => th.id)).toEqual([small.id, big.id]);

      const state = await markThreadRead({ db: t.db }, { userId: reader.id, threadId: big.id });
      expect(state.unreadCount).toBe(0);
      expect(await countUnreadTotals({ db: t.db }, { userId: reader.id })).toEqual({
        unreadMessages: 3,
        unreadThreads: 1,
      });
      const after = await listThreads({ db: t.db }, { userId: reader.id, unread: true });
      expect(after.threads.map((th) => th.id)).toEqual([small.id]);
      const { threads } = await listThreads({ db: t.db }, { userId: reader.id });
      expect(threads.find((th) => th.id === big.id)?.unreadCount).toBe(0);
    });
  });

  it("counts others' live messages after the pointer: never the reader's own nor deleted ones, at any pointer", async () => {
    const reader = await createUser(t.db, { role: 'INSTRUCTOR' });
    const other = await createUser(t.db);
    const cls = await createClass(t.db, { instructors: [{ id: reader.id }] });
    await enrollStudent(t.db, { classId: cls.id, studentId: other.id });
    const thread = await createThread(t.db, {
      type: 'DIRECT',
      createdById: reader.id,
      participantIds: [other.id],
    });
    const send = (userId: string, content: string) =>
      sendMessage({ db: t.db }, { threadId: thread.id, userId, content });
    const sent = [];
    for (const [userId, content] of [
      [other.id, 'o1'],
      [reader.id, 'r1'],
      [other.id, 'o2'],
      [other.id, 'o3'],
      [reader.id, 'r2'],
      [other.id, 'o4'],
      [other.id, 'o5'],
    ] as const)
      sent.push((await send(userId, content)).message);
    // Deleted: one of the other's after the reader's pointer, one of the reader's own.
    await deleteMessage({ db: t.db }, { userId: other.id, messageId: sent[5]!.id });
    await deleteMessage({ db: t.db }, { userId: reader.id, messageId: sent[4]!.id });
    // The definition, walked message by message, for every pointer from 0 to the end.
    const walked = async (after: number) => {
      const [row] = await queryRows<{ n: string | number }>(
        t.db,
        sql`select count(*) as n from messages where thread_id = ${thread.id} and seq > ${after}
          and sender_id <> ${reader.id} and deleted_at is null`,
      );
      return Number(row!.n);
    };
    for (let after = 0; after <= sent.length; after++) {
      expect(await countUnread(t.db, thread.id, reader.id, after)).toBe(await walked(after));
    }
    // A pointer behind the reader's own messages (a participant row reset, as by a rejoin), where
    // every figure reads the participant row.
    await t.db
      .update(messageParticipants)
      .set({ lastReadSeq: 0 })
      .where(and(eq(messageParticipants.threadId, thread.id), eq(messageParticipants.userId, reader.id)));
    const expected = await walked(0);
    expect(expected).toBe(4); // o1, o2, o3, o5
    const { threads } = await listThreads({ db: t.db }, { userId: reader.id });
    expect(threads.find((th) => th.id === thread.id)?.unreadCount).toBe(expected);
    expect(
      (await getThread({ db: t.db }, { userId: reader.id, threadId: thread.id })).thread.unreadCount,
    ).toBe(expected);
    const live = await threadSummariesForParticipants({ db: t.db }, [thread.id]);
    expect(live.find((v) => v.userId === reader.id)?.summary.unreadCount).toBe(expected);
    expect((await countUnreadTotals({ db: t.db }, { userId: reader.id })).unreadMessages).toBe(expected);
  });

  describe('a thread list of many threads', () => {
    const N = 36;
    let reader: User;
    let students: User[];
    let cls: { id: string };
    /** Thread ids in the order the list must give them (newest activity first, then id). */
    let direct: MessageThread[];
    let classThreads: MessageThread[];
    const base = Date.now() - 10 * 86_400_000;

    async function allPages(opts: Omit<TListThreadsOptions, 'cursor'>, limit: number): Promise<string[]> {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await listThreads({ db: t.db }, { ...opts, cursor, limit });
        seen.push(...page.threads.map((th) => th.id));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    }

    /** The expected order, read from the threads themselves rather than the participant rows. */
    async function expectedOrder(where = sql`true`): Promise<string[]> {
      const rows = await queryRows<{ id: string }>(
        t.db,
        sql`select t.id from message_threads t join message_participants p on p.thread_id = t.id
          where p.user_id = ${reader.id} and p.left_at is null and p.archived_at is null and ${where}
          order by coalesce(t.last_message_at, t.created_at) desc, t.id desc`,
      );
      return rows.map((r) => r.id);
    }

    beforeAll(async () => {
      reader = await createUser(t.db, { role: 'INSTRUCTOR' });
      students = [];
      for (let i = 0; i < N; i++) students.push(await createUser(t.db, { name: `Many ${i} ${kind}` }));
      cls = await createClass(t.db, { instructors: [{ id: reader.id }] });
      // Enrolled before the class threads exist, which take only the reader: so they are DIRECT-only.
      for (const s of students) await enrollStudent(t.db, { classId: cls.id, studentId: s.id });
      direct = [];
      for (const [i, s] of students.entries()) {
        // A third share one creation instant and never get a message: ties broken by id.
        const createdAt = new Date(i % 3 === 0 ? base : base + i * 60_000);
        const thread = await createThread(t.db, {
          type: 'DIRECT',
          createdById: reader.id,
          participantIds: [s.id],
          createdAt,
        });
        direct.push(thread);
        if (i % 3 !== 0) {
          // Messages in an order unrelated to creation, so activity and creation disagree.
          const at = new Date(base + 86_400_000 + ((i * 7) % N) * 60_000);
          await sendMessage(
            { db: t.db },
            { threadId: thread.id, userId: s.id, content: `hi ${i}`, createdAt: at },
          );
        }
      }
      classThreads = [];
      for (let i = 0; i < 3; i++) {
        classThreads.push(
          await createThread(t.db, {
            type: 'CLASS',
            classId: cls.id,
            createdById: reader.id,
            participantIds: [],
            title: `Unit ${i} ${kind}`,
            createdAt: new Date(base + i * 90_000),
          }),
        );
      }
    });

    it('gives every thread once, newest activity first, whatever the page size', async () => {
      const expected = await expectedOrder();
      expect(expected).toHaveLength(N + 3);
      for (const limit of [1, 4, 7, 100]) {
        expect(await allPages({ userId: reader.id }, limit)).toEqual(expected);
      }
    });

    it('keeps its cursor stable while a thread further down moves to the top', async () => {
      const expected = await expectedOrder();
      const first = await listThreads({ db: t.db }, { userId: reader.id, limit: 5 });
      expect(first.threads.map((th) => th.id)).toEqual(expected.slice(0, 5));
      const moving = expected[20]!;
      const other = direct.find((d) => d.id === moving)!;
      const sender = await queryRows<{ user_id: string }>(
        t.db,
        sql`select user_id from message_participants where thread_id = ${other.id} and user_id <> ${reader.id}`,
      );
      await sendMessage({ db: t.db }, { threadId: moving, userId: sender[0]!.user_id, content: 'news' });

      const rest: string[] = [];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await listThreads({ db: t.db }, { userId: reader.id, cursor, limit: 5 });
        rest.push(...page.threads.map((th) => th.id));
        cursor = page.nextCursor;
      }
      // The moved thread is now above the cursor; nothing else is skipped or repeated.
      expect(rest).toEqual(expected.slice(5).filter((id) => id !== moving));
      const top = await listThreads({ db: t.db }, { userId: reader.id, limit: 1 });
      expect(top.threads[0]?.id).toBe(moving);
      expect(await allPages({ userId: reader.id }, 6)).toEqual(await expectedOrder());
    });

    it('applies its filters along the walk', async () => {
      expect(await allPages({ userId: reader.id, type: 'CLASS' }, 2)).toEqual(
        await expectedOrder(sql`t.type = 'CLASS'`),
      );
      expect(await allPages({ userId: reader.id, classId: cls.id }, 2)).toEqual(
        classThreads.map((c) => c.id).reverse(),
      );
      expect(await allPages({ userId: reader.id, unread: true }, 3)).toEqual(
        await expectedOrder(sql`t.last_message_seq > p.last_read_seq`),
      );
      expect(await allPages({ userId: reader.id, q: 'Many 1' }, 2)).toEqual(
        await expectedOrder(
          sql`exists (select 1 from message_participants o join users u on u.id = o.user_id
            where o.thread_id = t.id and u.name ilike ${`%Many 1%`})`,
        ),
      );

      const archived = direct[4]!;
      await updateThreadSettings(
        { db: t.db },
        { userId: reader.id, threadId: archived.id, input: { archived: true } },
      );
      expect(await allPages({ userId: reader.id, archived: true }, 2)).toEqual([archived.id]);
      expect(await allPages({ userId: reader.id }, 8)).not.toContain(archived.id);
    });

    it('copies the thread’s activity onto every participant row, late joiners included', async () => {
      const late = await createUser(t.db);
      await enrollStudent(t.db, { classId: cls.id, studentId: late.id });
      const mismatched = await queryRows<{ n: string | number }>(
        t.db,
        sql`select count(*) as n from message_participants p join message_threads t on t.id = p.thread_id
          where p.activity_at <> coalesce(t.last_message_at, t.created_at)`,
      );
      expect(Number(mismatched[0]?.n)).toBe(0);
      // The late joiner's class threads sit where their activity puts them, not at the join.
      const lateList = await listThreads({ db: t.db }, { userId: late.id });
      expect(lateList.threads.map((th) => th.id)).toEqual(classThreads.map((c) => c.id).reverse());
      const [row] = await t.db
        .select({ activityAt: messageParticipants.activityAt })
        .from(messageParticipants)
        .where(
          and(eq(messageParticipants.userId, late.id), eq(messageParticipants.threadId, classThreads[0]!.id)),
        );
      expect(row?.activityAt.getTime()).toBe(classThreads[0]!.createdAt.getTime());
    });
  });
});
