// The messaging domain end to end on a real database, in both modes: idempotent sends under
// concurrency, keyset pagination while messages arrive, unread counts and the read pointer,
// enrollment-driven access, the send rate limit (memory and shared Redis) and events after commit.
import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db/client';
import {
  messageEvents,
  messageParticipants,
  messageThreads,
  messages,
  type Class,
  type User,
} from '@/db/schema';
import { createThread as startThread } from '@/messaging/create-thread';
import { deleteMessage } from '@/messaging/delete-message';
import { editMessage } from '@/messaging/edit-message';
import { enrollStudent as enroll, removeEnrollment } from '@/classroom/enroll-student';
import { createEventBus, type MessagingEvent } from '@/messaging/events';
import { listMessages } from '@/messaging/list-messages';
import { sequenceFeed } from '@/messaging/feed-sequencer';
import { currentPosition, readMessageLog } from '@/messaging/message-log';
import { listThreads } from '@/messaging/list-threads';
import { markMessageRead, markThreadRead } from '@/messaging/mark-read';
import { sendMessage, type TSendMessageResult } from '@/messaging/send-message';
import { AppError } from '@/platform/errors';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from '@/platform/rate-limit';
import { createRedis } from '@/platform/redis';
import { createClass, createDirectPair, createThread as insertThread, createUser } from '../factories';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

/** The AppError a promise rejects with; fails the test if it resolves or throws something else. */
async function rejection(p: Promise<unknown>): Promise<AppError> {
  const outcome = await p.then(
    () => ({ resolved: true as const }),
    (err: unknown) => ({ resolved: false as const, err }),
  );
  if (outcome.resolved) throw new Error('expected the call to fail with an AppError');
  expect(outcome.err).toBeInstanceOf(AppError);
  return outcome.err as AppError;
}

describe.each(dbKinds())('messaging domain on %s', (kind) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.dispose());

  // ---- helpers on this describe's database ------------------------------------------------------

  /** A class with a primary instructor and `n` enrolled students. */
  async function classWith(n: number): Promise<{ instructor: User; students: User[]; cls: Class }> {
    const instructor = await createUser(t.db, { role: 'INSTRUCTOR' });
    const students: User[] = [];
    for (let i = 0; i < n; i++) students.push(await createUser(t.db));
    const cls = await createClass(t.db, { instructors: [{ id: instructor.id }] });
    for (const s of students) await enroll({ db: t.db }, { classId: cls.id, studentId: s.id });
    return { instructor, students, cls };
  }

  /** A CLASS thread created through the domain (its first message is seq 1). */
  async function classThread(
    instructorId: string,
    classId: string,
    kind: 'discussion' | 'announcement' = 'discussion',
    content = 'Welcome to the class thread',
  ) {
    const created = await startThread(
      { db: t.db },
      { userId: instructorId, input: { type: 'CLASS', classId, title: `Thread ${kind}`, kind, content } },
    );
    return created.thread;
  }

  async function threadRows(threadId: string) {
    return t.db.select().from(messages).where(eq(messages.threadId, threadId)).orderBy(asc(messages.seq));
  }

  async function messageCount(threadId: string): Promise<number> {
    const [row] = await t.db.select({ n: count() }).from(messages).where(eq(messages.threadId, threadId));
    return row?.n ?? -1;
  }

  async function lastMessageSeq(threadId: string): Promise<number> {
    const [row] = await t.db
      .select({ seq: messageThreads.lastMessageSeq })
      .from(messageThreads)
      .where(eq(messageThreads.id, threadId));
    return row?.seq ?? -1;
  }

  async function summary(userId: string, threadId: string) {
    const { threads } = await listThreads({ db: t.db }, { userId, limit: 100 });
    return threads.find((th) => th.id === threadId);
  }

  async function unreadOf(userId: string, threadId: string): Promise<number | undefined> {
    return (await summary(userId, threadId))?.unreadCount;
  }

  /** Sequencer passes until nothing waits: earlier tests leave their changes unpositioned. */
  async function drainFeed() {
    while ((await sequenceFeed({ db: t.db })).length > 0);
  }

  const send = (threadId: string, senderId: string, content: string, clientMessageId?: string) =>
    sendMessage({ db: t.db }, { threadId, userId: senderId, content, clientMessageId });

  // ---- 1. idempotency ---------------------------------------------------------------------------

  describe('idempotency', () => {
    it('stores a retried send once and answers the retry with the original', async () => {
      const { student, thread } = await createDirectPair(t.db);
      const first = await send(thread.id, student.id, 'Is the quiz open-book?', 'retry-key-1');
      const second = await send(thread.id, student.id, 'Is the quiz open-book?', 'retry-key-1');
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.message).toEqual(first.message);
      expect(first.message).toMatchObject({ seq: 1, clientMessageId: 'retry-key-1', senderId: student.id });
      expect(await messageCount(thread.id)).toBe(1);
      expect(await lastMessageSeq(thread.id)).toBe(1);
    });

    it('refuses a key already used for a message in another conversation', async () => {
      const { instructor, cls, thread } = await createDirectPair(t.db);
      const other = await createUser(t.db);
      await enroll({ db: t.db }, { classId: cls.id, studentId: other.id });
      const second = await insertThread(t.db, {
        type: 'DIRECT',
        createdById: instructor.id,
        participantIds: [other.id],
      });
      await send(thread.id, instructor.id, 'Hello', 'shared-key');
      const err = await rejection(send(second.id, instructor.id, 'Hello', 'shared-key'));
      expect([err.code, err.status]).toEqual(['IDEMPOTENCY_KEY_REUSED', 409]);
      expect(await messageCount(second.id)).toBe(0);
    });

    it('numbers 50 parallel sends from several senders 1..N without gaps, in one stable order', async () => {
      const { instructor, students, cls } = await classWith(3);
      const thread = await classThread(instructor.id, cls.id, 'discussion');
      const senders = [instructor, ...students];
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          send(thread.id, senders[i % senders.length]!.id, `parallel ${i}`, `par-${thread.id}-${i}`),
        ),
      );
      expect(results.every((r) => r.created)).toBe(true);
      expect(new Set(results.map((r) => r.message.id)).size).toBe(50);

      const rows = await threadRows(thread.id);
      // The thread's first message (seq 1) plus the 50.
      expect(rows).toHaveLength(51);
      expect(rows.filter((r) => r.clientMessageId?.startsWith('par-'))).toHaveLength(50);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
      expect(await lastMessageSeq(thread.id)).toBe(51);
      // Each result reports the seq it was stored with.
      const seqById = new Map(rows.map((r) => [r.id, r.seq]));
      for (const r of results) expect(r.message.seq).toBe(seqById.get(r.message.id));

      const bySeq = rows.map((r) => r.id);
      const byTime = (
        await t.db
          .select({ id: messages.id })
          .from(messages)
          .where(eq(messages.threadId, thread.id))
          .orderBy(asc(messages.createdAt), asc(messages.id))
      ).map((r) => r.id);
      expect(byTime).toEqual(bySeq);
      // created_at strictly increases with seq, so the (created_at, id) cursor never ties.
      for (let i = 1; i < rows.length; i++)
        expect(rows[i]!.createdAt.getTime()).toBeGreaterThan(rows[i - 1]!.createdAt.getTime());

      const read = () =>
        listMessages({ db: t.db }, { userId: students[0]!.id, threadId: thread.id, query: { limit: 100 } });
      const once = await read();
      const twice = await read();
      expect(once.messages.map((m) => m.id)).toEqual(bySeq);
      expect(twice.messages.map((m) => m.id)).toEqual(bySeq);
      expect([once.hasOlder, once.hasNewer]).toEqual([false, false]);
    });

    it('keeps created_at strictly increasing in seq order when backdated times tie or go backwards', async () => {
      const { instructor, student, thread } = await createDirectPair(t.db);
      const at = new Date('2024-03-01T09:00:00.000Z');
      const stamps = [at, at, at, new Date(at.getTime() - 60_000)];
      for (const [i, createdAt] of stamps.entries())
        await sendMessage(
          { db: t.db },
          { threadId: thread.id, userId: i % 2 ? student.id : instructor.id, content: `b${i}`, createdAt },
        );
      const rows = await threadRows(thread.id);
      expect(rows.map((r) => r.createdAt.getTime() - at.getTime())).toEqual([0, 1, 2, 3]);
      const page = await listMessages({ db: t.db }, { userId: student.id, threadId: thread.id });
      expect(page.messages.map((m) => m.content)).toEqual(['b0', 'b1', 'b2', 'b3']);
    });

    it('stores 10 parallel sends with the same key once; the losers leave no counter bump', async () => {
      const { student, thread } = await createDirectPair(t.db);
      await send(thread.id, student.id, 'before the storm');
      const key = `same-${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => send(thread.id, student.id, 'Sent ten times', key)),
      );
      const ids = new Set(results.map((r) => r.message.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      for (const r of results) expect(r.message).toEqual(results[0]!.message);
      const keyed = await t.db
        .select()
        .from(messages)
        .where(and(eq(messages.senderId, student.id), eq(messages.clientMessageId, key)));
      expect(keyed).toHaveLength(1);
      expect(keyed[0]!.seq).toBe(2);
      expect(await messageCount(thread.id)).toBe(2);
      expect(await lastMessageSeq(thread.id)).toBe(2);
      // The next send continues at 3: no holes from rolled-back bumps.
      expect((await send(thread.id, student.id, 'after')).message.seq).toBe(3);
    });

    it('creates one DIRECT thread per pair, asked twice or in parallel', async () => {
      const { instructor, students } = await classWith(2);
      const [s1, s2] = students as [User, User];
      const direct = (actorId: string, recipientId: string, content: string) =>
        startThread({ db: t.db }, { userId: actorId, input: { type: 'DIRECT', recipientId, content } });

      const a = await direct(instructor.id, s1.id, 'Hi, about your essay');
      const b = await direct(s1.id, instructor.id, 'Thanks, got it');
      expect(a.threadCreated).toBe(true);
      expect(b.threadCreated).toBe(false);
      expect(b.thread.id).toBe(a.thread.id);
      expect([a.message.seq, b.message.seq]).toEqual([1, 2]);

      const parallel = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          i % 2 ? direct(s2.id, instructor.id, `student ${i}`) : direct(instructor.id, s2.id, `teacher ${i}`),
        ),
      );
      expect(new Set(parallel.map((r) => r.thread.id)).size).toBe(1);
      expect(parallel.filter((r) => r.threadCreated)).toHaveLength(1);
      const threadId = parallel[0]!.thread.id;
      const rows = await t.db
        .select({ id: messageThreads.id })
        .from(messageThreads)
        .where(eq(messageThreads.directKey, [instructor.id, s2.id].sort().join(':')));
      expect(rows.map((r) => r.id)).toEqual([threadId]);
      expect((await threadRows(threadId)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      const members = await t.db
        .select({ userId: messageParticipants.userId })
        .from(messageParticipants)
        .where(eq(messageParticipants.threadId, threadId));
      expect(members.map((m) => m.userId).sort()).toEqual([instructor.id, s2.id].sort());
    });
  });

  // ---- 2. pagination ----------------------------------------------------------------------------

  describe('change feed', () => {
    it('numbers committed changes contiguously, each thread in commit order: a tailer that trusts its last position misses nothing', async () => {
      const { instructor, students, cls } = await classWith(3);
      const threads = [
        await classThread(instructor.id, cls.id),
        await classThread(instructor.id, cls.id),
        await classThread(instructor.id, cls.id),
      ];
      await drainFeed();
      const start = await currentPosition(t.db);
      const senders = [instructor, ...students];
      // Two sequencer loops (as two processes would run them) race the writers, in small batches,
      // and a reader resumes each time from the highest position it has seen: were positions given
      // before the commit, or out of a thread's order, it would skip or misorder a change.
      const seen: number[] = [];
      let done = false;
      const passes = (batch: number) =>
        (async () => {
          while (!done) {
            await sequenceFeed({ db: t.db }, { limit: batch });
            await new Promise((r) => setTimeout(r, 1));
          }
        })();
      const tail = (async () => {
        let after = start;
        for (;;) {
          const last = done && (await sequenceFeed({ db: t.db })).length === 0;
          const rows = await readMessageLog(t.db, { after, upTo: Number.MAX_SAFE_INTEGER, limit: 1000 });
          for (const r of rows) seen.push(r.position);
          after = rows.at(-1)?.position ?? after;
          if (last && rows.length === 0) return;
          await new Promise((r) => setTimeout(r, 1));
        }
      })();
      const sequencers = [passes(7), passes(3)];
      const sent = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          send(
            threads[i % 3]!.id,
            senders[i % senders.length]!.id,
            `race ${i}`,
            `feed-${threads[0]!.id}-${i}`,
          ),
        ),
      );
      // Edits and deletes race the sends and move the feed too.
      await Promise.all([
        ...sent
          .slice(0, 10)
          .map((r) =>
            editMessage(
              { db: t.db },
              { userId: r.message.senderId, messageId: r.message.id, input: { content: 'edited' } },
            ),
          ),
        ...sent
          .slice(10, 20)
          .map((r) => deleteMessage({ db: t.db }, { userId: r.message.senderId, messageId: r.message.id })),
      ]);
      done = true;
      await Promise.all([tail, ...sequencers]);

      const end = await currentPosition(t.db);
      expect(end - start).toBe(60 + 10 + 10);
      expect(seen).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));
      // Nothing is left without a position.
      const [waiting] = await t.db
        .select({ n: count() })
        .from(messageEvents)
        .where(isNull(messageEvents.pos));
      expect(waiting?.n).toBe(0);
      const log = await readMessageLog(t.db, { after: start, upTo: end, limit: 1000 });
      const rows = await t.db
        .select({ id: messageEvents.id, pos: messageEvents.pos, threadId: messageEvents.threadId })
        .from(messageEvents)
        .where(gt(messageEvents.pos, start))
        .orderBy(asc(messageEvents.id));
      for (const thread of threads) {
        // Within a thread, feed order is insertion order (commit order, under the thread's lock)...
        const byId = rows.filter((r) => r.threadId === thread.id).map((r) => r.pos);
        expect([...byId].sort((a, b) => a! - b!)).toEqual(byId);
        // ... and new messages come in seq order.
        const created = log.filter((e) => e.threadId === thread.id && e.kind === 'created');
        const seqs = created.map((e) => e.message.seq);
        expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      }
      // A message's change follows its creation.
      const createdAt = new Map(
        log.filter((e) => e.kind === 'created').map((e) => [e.message.id, e.position]),
      );
      for (const e of log.filter((x) => x.kind !== 'created'))
        expect(e.position).toBeGreaterThan(createdAt.get(e.message.id)!);
      expect(log.filter((e) => e.kind === 'updated').every((e) => e.message.content === 'edited')).toBe(true);
      expect(log.filter((e) => e.kind === 'deleted').every((e) => e.message.content === null)).toBe(true);
      // Edits and deletes move the feed, never the unread counter.
      expect(await lastMessageSeq(threads[0]!.id)).toBe(21);
    });

    it.runIf(kind === 'postgres')(
      'sends in 16 different threads never wait on a shared row, with sequencer passes running',
      async () => {
        const lanes = [];
        for (let i = 0; i < 16; i++) lanes.push(await createDirectPair(t.db));
        // Every backend of this database that waits for a lock, sampled while the senders run.
        const waits: Array<{ event: string; locktype: string | null; relation: string | null }> = [];
        let activeSamples = 0;
        let running = true;
        const sampler = (async () => {
          while (running) {
            const rows = await queryRows<{
              wait_event_type: string | null;
              wait_event: string | null;
              locktype: string | null;
              relation: string | null;
            }>(
              t.db,
              sql`select a.wait_event_type, a.wait_event, l.locktype, l.relation::regclass::text as relation
                from pg_stat_activity a left join pg_locks l on l.pid = a.pid and not l.granted
                where a.datname = current_database() and a.pid <> pg_backend_pid() and a.state = 'active'`,
            );
            activeSamples += rows.length;
            for (const r of rows)
              if (r.wait_event_type === 'Lock')
                waits.push({ event: r.wait_event ?? '', locktype: r.locktype, relation: r.relation });
            await new Promise((r) => setTimeout(r, 2));
          }
        })();
        const sequencer = (async () => {
          while (running) {
            await sequenceFeed({ db: t.db }, { limit: 50 });
            await new Promise((r) => setTimeout(r, 2));
          }
        })();
        await Promise.all(
          lanes.map(async ({ student, thread }, lane) => {
            for (let n = 0; n < 25; n++) await send(thread.id, student.id, `lane ${lane} #${n}`);
          }),
        );
        running = false;
        await Promise.all([sampler, sequencer]);

        // The sampler did watch the senders at work...
        expect(activeSamples).toBeGreaterThan(16);
        // ... and saw none of them wait on a row or a transaction (the old feed counter showed
        // here as transactionid and tuple waits on message_event_counter), nor on anything of the
        // sequencer's. A relation-extension wait (two inserts growing one table file) is a page
        // allocation, not a shared row, and is the only kind let through.
        expect(waits.filter((w) => w.event !== 'extend')).toEqual([]);
        expect(waits.filter((w) => w.relation === 'message_event_counter')).toEqual([]);
      },
    );
  });

  describe('pagination', () => {
    let pair: Awaited<ReturnType<typeof createDirectPair>>;
    let originals: string[];
    let extra = 0;
    /** A message arriving while a reader pages. */
    const arrive = async () => {
      extra++;
      const sender = extra % 2 ? pair.instructor : pair.student;
      await send(pair.thread.id, sender.id, `arrived while paging ${extra}`);
    };

    beforeAll(async () => {
      pair = await createDirectPair(t.db);
      originals = [];
      for (let i = 0; i < 1000; i++) {
        const sender = i % 3 ? pair.instructor : pair.student;
        const { message } = await send(pair.thread.id, sender.id, `message ${i}`);
        originals.push(message.id);
      }
    });

    it('walks back from the newest page, seeing each of the 1,000 once, while new ones arrive', async () => {
      const query = (before?: string) =>
        listMessages(
          { db: t.db },
          {
            userId: pair.student.id,
            threadId: pair.thread.id,
            query: { limit: 37, before },
          },
        );
      let page = await query();
      expect(page.hasNewer).toBe(false);
      const pages = [page.messages.map((m) => m.id)];
      while (page.hasOlder) {
        await arrive();
        page = await query(page.olderCursor ?? undefined);
        pages.unshift(page.messages.map((m) => m.id));
        expect(page.hasNewer).toBe(true);
      }
      expect(pages).toHaveLength(Math.ceil(1000 / 37));
      expect(pages.slice(1).every((p) => p.length === 37)).toBe(true);
      expect(pages[0]).toHaveLength(1000 % 37);
      const seen = pages.flat();
      expect(seen).toEqual(originals);
      expect(extra).toBe(pages.length - 1);
    });

    it('walks forward from the oldest page to the end while messages keep arriving', async () => {
      const query = (q: { before?: string; after?: string }) =>
        listMessages(
          { db: t.db },
          {
            userId: pair.instructor.id,
            threadId: pair.thread.id,
            query: { limit: 37, ...q },
          },
        );
      // The oldest page: walk back to it first.
      let page = await query({});
      while (page.hasOlder) page = await query({ before: page.olderCursor ?? undefined });
      expect(page.messages[0]?.id).toBe(originals[0]);
      const seen = page.messages.map((m) => m.id);
      let fetches = 0;
      for (;;) {
        page = await query({ after: page.newerCursor ?? undefined });
        fetches++;
        expect(page.hasOlder).toBe(true);
        seen.push(...page.messages.map((m) => m.id));
        if (!page.hasNewer) break;
        await arrive();
        await arrive();
      }
      expect(fetches).toBeGreaterThan(27);
      const all = (await threadRows(pair.thread.id)).map((r) => r.id);
      expect(all.length).toBeGreaterThan(1000 + 2 * 27);
      expect(seen).toEqual(all);
      expect(new Set(seen).size).toBe(all.length);
      // Asking again from the end finds nothing new.
      const tail = await query({ after: page.newerCursor ?? undefined });
      expect([tail.messages.length, tail.hasNewer]).toEqual([0, false]);
    });

    it('defaults to 50 per page, allows 100 and rejects 101 and malformed requests', async () => {
      const ask = (query: Parameters<typeof listMessages>[1]['query']) =>
        listMessages({ db: t.db }, { userId: pair.student.id, threadId: pair.thread.id, query });
      const total = await messageCount(pair.thread.id);
      const newest = await ask({});
      expect(newest.messages).toHaveLength(50);
      expect([newest.hasOlder, newest.hasNewer]).toEqual([true, false]);
      expect(newest.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => total - 49 + i));
      expect((await ask({ limit: 100 })).messages).toHaveLength(100);
      for (const bad of [
        { limit: 101 },
        { limit: 0 },
        { before: 'not-a-cursor' },
        { before: newest.olderCursor!, after: newest.newerCursor! },
      ]) {
        expect((await rejection(ask(bad))).code).toBe('VALIDATION_FAILED');
      }
    });
  });

  // ---- 3. unread counts -------------------------------------------------------------------------

  describe('unread counts', () => {
    it('follow sends, the read pointer, deletes and edits', async () => {
      const { instructor: teacher, students } = await classWith(2);
      const [s1, s2] = students as [User, User];
      const t1 = await insertThread(t.db, {
        type: 'DIRECT',
        createdById: teacher.id,
        participantIds: [s1.id],
      });
      const t2 = await insertThread(t.db, {
        type: 'DIRECT',
        createdById: teacher.id,
        participantIds: [s2.id],
      });
      const unreadIds = async (userId: string) =>
        (await listThreads({ db: t.db }, { userId, unread: true })).threads.map((th) => th.id);

      // Own sends never count; the other side's count grows.
      for (let i = 1; i <= 3; i++) await send(t2.id, s2.id, `question ${i}`);
      expect(await unreadOf(s2.id, t2.id)).toBe(0);
      expect(await unreadOf(teacher.id, t2.id)).toBe(3);
      expect(await unreadIds(teacher.id)).toEqual([t2.id]);

      const sent: string[] = [];
      for (let i = 1; i <= 5; i++) sent.push((await send(t1.id, teacher.id, `note ${i}`)).message.id);
      const [m1, m2, m3, m4, m5] = sent as [string, string, string, string, string];
      expect(await unreadOf(s1.id, t1.id)).toBe(5);
      expect(await unreadOf(teacher.id, t1.id)).toBe(0);
      expect(await unreadIds(teacher.id)).toEqual([t2.id]);
      expect(await unreadIds(s1.id)).toEqual([t1.id]);

      // Reading a middle message leaves those after it.
      const mid = await markMessageRead({ db: t.db }, { userId: s1.id, messageId: m3 });
      expect(mid).toMatchObject({ threadId: t1.id, lastReadSeq: 3, lastReadMessageId: m3, unreadCount: 2 });
      expect(await summary(s1.id, t1.id)).toMatchObject({ unreadCount: 2, lastReadSeq: 3 });

      // Reading an older one afterwards does not move the pointer back.
      const older = await markMessageRead({ db: t.db }, { userId: s1.id, messageId: m1 });
      expect(older).toMatchObject({ lastReadSeq: 3, lastReadMessageId: m3, unreadCount: 2 });
      const upToOld = await markThreadRead(
        { db: t.db },
        { userId: s1.id, threadId: t1.id, input: { upToMessageId: m2 } },
      );
      expect(upToOld).toMatchObject({ lastReadSeq: 3, unreadCount: 2 });
      expect(await unreadOf(s1.id, t1.id)).toBe(2);

      // Deleting an unread message takes it out of the count (and out of the preview).
      await deleteMessage({ db: t.db }, { userId: teacher.id, messageId: m5 });
      expect(await summary(s1.id, t1.id)).toMatchObject({
        unreadCount: 1,
        lastMessage: expect.objectContaining({ id: m4, preview: 'note 4' }),
      });

      // Editing does not make anything unread.
      await editMessage(
        { db: t.db },
        { userId: teacher.id, messageId: m4, input: { content: 'note 4 (fixed)' } },
      );
      expect(await unreadOf(s1.id, t1.id)).toBe(1);
      const all = await markThreadRead({ db: t.db }, { userId: s1.id, threadId: t1.id });
      expect(all).toMatchObject({ lastReadSeq: 5, unreadCount: 0 });
      await editMessage(
        { db: t.db },
        { userId: teacher.id, messageId: m2, input: { content: 'note 2 (fixed)' } },
      );
      expect(await unreadOf(s1.id, t1.id)).toBe(0);
      expect(await unreadIds(s1.id)).toEqual([]);

      // A reply clears what came before it for the replier, and is unread for the other side.
      await send(t2.id, teacher.id, 'answers to all three');
      expect(await unreadOf(teacher.id, t2.id)).toBe(0);
      expect(await unreadOf(s2.id, t2.id)).toBe(1);
      expect(await unreadIds(teacher.id)).toEqual([]);
      expect(await unreadIds(s2.id)).toEqual([t2.id]);
    });

    it('gives a student who enrolls late the class thread with its full history unread', async () => {
      const { instructor, students, cls } = await classWith(1);
      const early = students[0]!;
      const thread = await classThread(instructor.id, cls.id, 'discussion', 'Week 1 plan');
      await send(thread.id, early.id, 'Will there be a lab?');
      await send(thread.id, instructor.id, 'Yes, on Thursday');
      expect(await unreadOf(early.id, thread.id)).toBe(1);

      const late = await createUser(t.db);
      await enroll({ db: t.db }, { classId: cls.id, studentId: late.id });
      const { threads } = await listThreads({ db: t.db }, { userId: late.id, classId: cls.id });
      expect(threads.map((th) => [th.id, th.unreadCount, th.participantCount])).toEqual([[thread.id, 3, 3]]);
      const history = await listMessages({ db: t.db }, { userId: late.id, threadId: thread.id });
      expect(history.messages.map((m) => [m.seq, m.content])).toEqual([
        [1, 'Week 1 plan'],
        [2, 'Will there be a lab?'],
        [3, 'Yes, on Thursday'],
      ]);
      expect(await markThreadRead({ db: t.db }, { userId: late.id, threadId: thread.id })).toMatchObject({
        lastReadSeq: 3,
        unreadCount: 0,
      });
    });
  });

  // ---- 4. enrollment ----------------------------------------------------------------------------

  describe('enrollment', () => {
    it('a removed student loses the class thread at once; re-enrolling restores it', async () => {
      const { instructor, students, cls } = await classWith(1);
      const student = students[0]!;
      const thread = await classThread(instructor.id, cls.id, 'discussion', 'Project groups');
      const direct = await startThread(
        { db: t.db },
        { userId: student.id, input: { type: 'DIRECT', recipientId: instructor.id, content: 'A question' } },
      );
      const first = (await send(thread.id, student.id, 'I am in group B')).message;
      expect((await summary(instructor.id, thread.id))?.participantCount).toBe(2);

      await removeEnrollment({ db: t.db }, { classId: cls.id, studentId: student.id });
      expect(await summary(student.id, thread.id)).toBeUndefined();
      expect((await listThreads({ db: t.db }, { userId: student.id, classId: cls.id })).threads).toEqual([]);
      expect((await summary(instructor.id, thread.id))?.participantCount).toBe(1);
      const refusals = await Promise.all([
        rejection(listMessages({ db: t.db }, { userId: student.id, threadId: thread.id })),
        rejection(send(thread.id, student.id, 'still here?')),
        rejection(markThreadRead({ db: t.db }, { userId: student.id, threadId: thread.id })),
        rejection(markMessageRead({ db: t.db }, { userId: student.id, messageId: first.id })),
      ]);
      expect(refusals.map((e) => e.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
      // The DIRECT thread stays readable but no longer accepts replies.
      expect(
        (await listMessages({ db: t.db }, { userId: student.id, threadId: direct.thread.id })).messages,
      ).toHaveLength(1);
      const blocked = await rejection(send(direct.thread.id, student.id, 'hello?'));
      expect([blocked.code, blocked.status]).toEqual(['NO_SHARED_CLASS', 403]);
      await send(thread.id, instructor.id, 'Posted while they were away');
      expect(await messageCount(thread.id)).toBe(3);

      await enroll({ db: t.db }, { classId: cls.id, studentId: student.id });
      expect((await summary(student.id, thread.id))?.id).toBe(thread.id);
      const history = await listMessages({ db: t.db }, { userId: student.id, threadId: thread.id });
      expect(history.messages.map((m) => m.content)).toEqual([
        'Project groups',
        'I am in group B',
        'Posted while they were away',
      ]);
      expect((await send(thread.id, student.id, 'Back again')).message.seq).toBe(4);
      expect((await send(direct.thread.id, student.id, 'And here')).created).toBe(true);
      expect(await markThreadRead({ db: t.db }, { userId: student.id, threadId: thread.id })).toMatchObject({
        lastReadSeq: 4,
        unreadCount: 0,
      });
    });
  });

  // ---- 5. rate limit ----------------------------------------------------------------------------

  describe('send rate limit', () => {
    it('refuses the 31st send in a minute with Retry-After, storing nothing; retries still answer', async () => {
      const { instructor, student, thread } = await createDirectPair(t.db);
      const limiter = createMemoryRateLimiter();
      const ctx = { db: t.db, rateLimiter: limiter };
      try {
        const sent: TSendMessageResult[] = [];
        for (let i = 0; i < 30; i++)
          sent.push(
            await sendMessage(ctx, {
              threadId: thread.id,
              userId: student.id,
              content: `n${i}`,
              clientMessageId: `rl-${i}`,
            }),
          );
        expect(sent.every((r) => r.created)).toBe(true);
        const err = await rejection(
          sendMessage(ctx, {
            threadId: thread.id,
            userId: student.id,
            content: 'one too many',
            clientMessageId: 'rl-30',
          }),
        );
        expect([err.code, err.status]).toEqual(['RATE_LIMITED', 429]);
        const retryAfter = Number(err.headers?.['Retry-After']);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(await messageCount(thread.id)).toBe(30);
        expect(await lastMessageSeq(thread.id)).toBe(30);
        expect(await t.db.select().from(messages).where(eq(messages.clientMessageId, 'rl-30'))).toEqual([]);

        // A retry of a stored message is answered, not limited.
        const retry = await sendMessage(ctx, {
          threadId: thread.id,
          userId: student.id,
          content: 'n5',
          clientMessageId: 'rl-5',
        });
        expect(retry.created).toBe(false);
        expect(retry.message).toEqual(sent[5]!.message);
        // The budget is per user.
        const other = await sendMessage(ctx, {
          threadId: thread.id,
          userId: instructor.id,
          content: 'fine',
        });
        expect([other.created, other.message.seq]).toEqual([true, 31]);
      } finally {
        await limiter.close();
      }
    });

    describe.runIf(!!process.env.REDIS_URL)('shared through Redis', () => {
      const url = process.env.REDIS_URL ?? '';
      const prefix = `cm:test:domain:${randomUUID()}:`;
      const limiters: RateLimiter[] = [];
      let admin: Redis | undefined;

      afterAll(async () => {
        admin ??= createRedis(url, 'test-domain-admin');
        const keys = await admin.keys(`${prefix}*`);
        if (keys.length > 0) await admin.del(...keys);
        await Promise.all(limiters.splice(0).map((l) => l.close()));
        await admin.quit();
      });

      it('two processes draw on one budget of 30 a minute', async () => {
        // Two limiters on their own connections with one prefix: two app processes.
        for (let i = 0; i < 2; i++)
          limiters.push(
            createRedisRateLimiter(createRedis(url, `test-domain-${i}`), { prefix, ownsClient: true }),
          );
        const [a, b] = limiters as [RateLimiter, RateLimiter];
        const { student, thread } = await createDirectPair(t.db);
        const ctxA = { db: t.db, rateLimiter: a };
        const ctxB = { db: t.db, rateLimiter: b };
        const sendVia = (ctx: typeof ctxA, content: string) =>
          sendMessage(ctx, { threadId: thread.id, userId: student.id, content });
        for (let i = 0; i < 15; i++) {
          expect((await sendVia(ctxA, `a${i}`)).created).toBe(true);
          expect((await sendVia(ctxB, `b${i}`)).created).toBe(true);
        }
        for (const ctx of [ctxA, ctxB]) {
          const err = await rejection(sendVia(ctx, 'over the limit'));
          expect(err.code).toBe('RATE_LIMITED');
          expect(Number(err.headers?.['Retry-After'])).toBeGreaterThanOrEqual(1);
        }
        expect(await messageCount(thread.id)).toBe(30);
        admin ??= createRedis(url, 'test-domain-admin');
        expect(await admin.zcard(`${prefix}send:${student.id}`)).toBe(30);
      });
    });
  });

  // ---- 6. events --------------------------------------------------------------------------------

  describe('events', () => {
    it('publishes one message.created after the commit, and nothing for a failed or replayed send', async () => {
      const { instructor, students, cls } = await classWith(1);
      const student = students[0]!;
      const bus = createEventBus();
      const events: MessagingEvent[] = [];
      const visibility: Array<Promise<number>> = [];
      const unsubscribe = bus.subscribe((event) => {
        events.push(event);
        if (event.type === 'message.created') {
          // Started the moment the listener runs: on Postgres this runs on another pooled connection,
          // which sees the row only if the send's transaction has committed. (PGlite has one
          // connection and would queue the query behind an open transaction, so there it only
          // shows the row exists.)
          visibility.push(
            t.db
              .select({ id: messages.id })
              .from(messages)
              .where(eq(messages.id, event.message.id))
              .then((rows) => rows.length),
          );
        }
      });
      const ctx = { db: t.db, events: bus };
      try {
        const created = await startThread(ctx, {
          userId: instructor.id,
          input: {
            type: 'CLASS',
            classId: cls.id,
            title: 'News',
            kind: 'announcement',
            content: 'Exam on Friday',
          },
        });
        expect(events.map((e) => e.type)).toEqual(['thread.created', 'message.created']);
        for (const e of events)
          expect([...e.participantIds].sort()).toEqual([instructor.id, student.id].sort());
        events.length = 0;

        const direct = await startThread(
          { db: t.db },
          { userId: instructor.id, input: { type: 'DIRECT', recipientId: student.id, content: 'hi' } },
        );
        const sent = await sendMessage(ctx, {
          threadId: direct.thread.id,
          userId: student.id,
          content: 'Can I come to office hours?',
          clientMessageId: 'evt-1',
        });
        expect(events).toHaveLength(1);
        expect(events[0]).toEqual({
          type: 'message.created',
          threadId: direct.thread.id,
          participantIds: expect.arrayContaining([instructor.id, student.id]),
          message: sent.message,
        });
        expect(events[0]!.participantIds).toHaveLength(2);
        expect(await Promise.all(visibility)).toEqual([1, 1]);
        events.length = 0;

        // Too long, refused by policy, or a replay: nothing is announced.
        const tooLong = await rejection(
          sendMessage(ctx, { threadId: direct.thread.id, userId: student.id, content: 'x'.repeat(10_001) }),
        );
        expect(tooLong.code).toBe('VALIDATION_FAILED');
        const readOnly = await rejection(
          sendMessage(ctx, { threadId: created.thread.id, userId: student.id, content: 'Can we move it?' }),
        );
        expect([readOnly.code, readOnly.status]).toEqual(['ANNOUNCEMENT_READ_ONLY', 403]);
        const replay = await sendMessage(ctx, {
          threadId: direct.thread.id,
          userId: student.id,
          content: 'Can I come to office hours?',
          clientMessageId: 'evt-1',
        });
        expect(replay.created).toBe(false);
        expect(events).toEqual([]);
        expect(await messageCount(created.thread.id)).toBe(1);
        expect(await messageCount(direct.thread.id)).toBe(2);
      } finally {
        unsubscribe();
      }
    });

    it('a listener that throws does not fail the send or starve other listeners', async () => {
      const { student, thread } = await createDirectPair(t.db);
      const bus = createEventBus();
      const heard: string[] = [];
      bus.subscribe(() => {
        throw new Error('listener bug');
      });
      bus.subscribe(async () => {
        throw new Error('async listener bug');
      });
      bus.subscribe((event) => {
        if (event.type === 'message.created') heard.push(event.message.id);
      });
      const sent = await sendMessage(
        { db: t.db, events: bus },
        { threadId: thread.id, userId: student.id, content: 'still delivered' },
      );
      expect(sent.created).toBe(true);
      expect(heard).toEqual([sent.message.id]);
      expect(await messageCount(thread.id)).toBe(1);
    });
  });
});
