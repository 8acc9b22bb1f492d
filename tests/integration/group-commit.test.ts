// Group commit on a real database, in both modes: sends that arrive together share one access
// statement and one write (cm_send_messages), and still behave one by one. Each gets its own
// number in its thread, its own feed row, its own answer; a retry, an unknown thread or a key
// reused in another thread fails only its own send; and the batch sizes show in /api/metrics.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollStudent } from '@/classroom/enroll-student';
import { queryRows } from '@/db/client';
import { messageEvents, messages } from '@/db/schema';
import { sendMessage } from '@/messaging/send-message';
import { AppError } from '@/platform/errors';
import { metrics } from '@/platform/metrics';
import { createDirectPair, createThread } from '../factories';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

type Pair = Awaited<ReturnType<typeof createDirectPair>>;

/** How many batches of each size the send write has run so far in this process. */
async function writeBatchSizes(): Promise<{ count: number; sum: number }> {
  const { values } = await metrics().batchSize.get();
  const mine = values.filter((v) => v.labels.batch === 'send_write');
  return {
    count: mine.find((v) => v.metricName === 'cm_db_batch_size_count')?.value ?? 0,
    sum: mine.find((v) => v.metricName === 'cm_db_batch_size_sum')?.value ?? 0,
  };
}

describe.each(dbKinds())('group commit on %s', (kind) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.dispose());

  it('stores 24 sends to 24 threads made at once in fewer statements, each numbered in its thread with its own feed row', async () => {
    const pairs: Pair[] = [];
    for (let i = 0; i < 24; i++) pairs.push(await createDirectPair(t.db));
    // One message already in each thread, so the burst's must be number 2.
    for (const p of pairs)
      await sendMessage({ db: t.db }, { threadId: p.thread.id, userId: p.student.id, content: 'first' });
    const before = await writeBatchSizes();

    const results = await Promise.all(
      pairs.map((p, i) =>
        sendMessage({ db: t.db }, { threadId: p.thread.id, userId: p.instructor.id, content: `burst ${i}` }),
      ),
    );

    const after = await writeBatchSizes();
    expect(after.sum - before.sum).toBe(24); // every send went through the shared write
    expect(after.count - before.count).toBeLessThan(24); // … in fewer statements than sends
    results.forEach((r, i) => {
      expect(r.created).toBe(true);
      expect(r.message).toMatchObject({ threadId: pairs[i]!.thread.id, seq: 2, content: `burst ${i}` });
    });
    for (const [i, p] of pairs.entries()) {
      const rows = await t.db.select().from(messages).where(eq(messages.threadId, p.thread.id));
      expect(rows.map((m) => m.seq).sort()).toEqual([1, 2]);
      expect(rows.find((m) => m.seq === 2)?.content).toBe(`burst ${i}`);
      const feed = await t.db.select().from(messageEvents).where(eq(messageEvents.threadId, p.thread.id));
      expect(feed).toHaveLength(2);
    }
  });

  it('fails only its own send: a retry answers with the original, an unknown thread is not found, a key reused elsewhere is refused', async () => {
    const pairs: Pair[] = [];
    for (let i = 0; i < 6; i++) pairs.push(await createDirectPair(t.db));
    const [a, b, c, ...rest] = pairs as [Pair, Pair, Pair, ...Pair[]];
    const original = await sendMessage(
      { db: t.db },
      { threadId: a.thread.id, userId: a.student.id, content: 'original', clientMessageId: 'gc-retry' },
    );
    // b's instructor sends the same key into two of their threads in one burst: the write that
    // carries both fails on the unique key and is retried one by one, so exactly one is stored.
    const second = await createDirectPair(t.db);
    await enrollStudent({ db: t.db }, { classId: b.cls.id, studentId: second.student.id });
    const sameInstructorThread = await createThread(t.db, {
      type: 'DIRECT',
      createdById: b.instructor.id,
      participantIds: [second.student.id],
    });

    const outcomes = await Promise.allSettled([
      sendMessage(
        { db: t.db },
        { threadId: a.thread.id, userId: a.student.id, content: 'original', clientMessageId: 'gc-retry' },
      ),
      sendMessage({ db: t.db }, { threadId: randomUUID(), userId: c.student.id, content: 'nowhere' }),
      sendMessage(
        { db: t.db },
        { threadId: b.thread.id, userId: b.instructor.id, content: 'twice', clientMessageId: 'gc-shared' },
      ),
      sendMessage(
        { db: t.db },
        {
          threadId: sameInstructorThread.id,
          userId: b.instructor.id,
          content: 'twice',
          clientMessageId: 'gc-shared',
        },
      ),
      ...rest.map((p) =>
        sendMessage({ db: t.db }, { threadId: p.thread.id, userId: p.student.id, content: 'fine' }),
      ),
      sendMessage({ db: t.db }, { threadId: c.thread.id, userId: c.instructor.id, content: 'fine too' }),
    ]);

    const [retry, unknown, shared1, shared2, ...fine] = outcomes;
    expect(retry.status === 'fulfilled' && retry.value).toMatchObject({
      created: false,
      message: original.message,
    });
    expect(unknown.status).toBe('rejected');
    expect(((unknown as PromiseRejectedResult).reason as AppError).code).toBe('NOT_FOUND');
    const shared = [shared1, shared2];
    expect(shared.filter((o) => o.status === 'fulfilled' && o.value.created)).toHaveLength(1);
    const refused = shared.find((o) => o.status === 'rejected') as PromiseRejectedResult | undefined;
    expect((refused?.reason as AppError | undefined)?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    for (const o of fine) expect(o.status === 'fulfilled' && o.value.created).toBe(true);

    const [{ n }] = (await queryRows<{ n: string | number }>(
      t.db,
      sql`select count(*) as n from ${messages} where ${messages.clientMessageId} = 'gc-shared'`,
    )) as [{ n: string | number }];
    expect(Number(n)).toBe(1);
    expect(await t.db.select().from(messages).where(eq(messages.threadId, a.thread.id))).toHaveLength(1);
  });

  it('gives two sends to one thread made at once two numbers, in two batches', async () => {
    const { instructor, student, thread } = await createDirectPair(t.db);
    const [x, y] = await Promise.all([
      sendMessage({ db: t.db }, { threadId: thread.id, userId: instructor.id, content: 'one' }),
      sendMessage({ db: t.db }, { threadId: thread.id, userId: student.id, content: 'two' }),
    ]);
    expect([x.message.seq, y.message.seq].sort()).toEqual([1, 2]);
  });
});
