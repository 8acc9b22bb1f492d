// The sequencer's scan floor (migration 0021). A pass scans the unnumbered feed rows above a floor,
// so it no longer walks the dead index entries that every row it numbered before leaves behind
// until a vacuum. The floor moves up behind the passes, and never past a change whose transaction
// has not committed yet: ids are drawn at insert time, and such a change still needs its place.
// Real database: PGlite, and Postgres when DATABASE_URL is set (the open-transaction case needs two
// connections, so it runs on Postgres only).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, queryRows, type Db } from '@/db/client';
import { sequenceFeed } from '@/messaging/feed-sequencer';
import { insertMessage } from '@/messaging/insert-messages';
import { currentPosition } from '@/messaging/message-log';
import { sendMessage } from '@/messaging/send-message';
import { createDirectPair } from '../factories';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

describe.each(dbKinds())('feed scan floor on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  async function floor(): Promise<number> {
    const [row] = await queryRows<{ scan_from: string | number }>(
      t.db,
      sql`select scan_from from message_event_counter where id = 1`,
    );
    return Number(row?.scan_from ?? 0);
  }

  async function eventIdOf(db: Db, messageId: string): Promise<number> {
    const [row] = await queryRows<{ id: string | number }>(
      db,
      sql`select id from message_events where message_id = ${messageId} order by id limit 1`,
    );
    return Number(row!.id);
  }

  async function unnumberedAtOrBelowFloor(): Promise<number> {
    const [row] = await queryRows<{ n: string | number }>(
      t.db,
      sql`select count(*) as n from message_events
          where pos is null and id <= (select scan_from from message_event_counter where id = 1)`,
    );
    return Number(row!.n);
  }

  async function drain(): Promise<void> {
    while ((await sequenceFeed({ db: t.db })).length > 0);
  }

  /**
   * Sends and passes until the floor reaches `id`. The floor waits for every transaction of the
   * server that was running when its note was taken (transaction ids are server-wide), so another
   * test's open transaction on the same PostgreSQL may hold it back for a while: this retries.
   */
  async function sendUntilFloorReaches(id: number, threadId: string, userId: string): Promise<number> {
    for (let i = 0; i < 100 && (await floor()) < id; i++) {
      await sendMessage({ db: t.db }, { threadId, userId, content: `nudge ${i}` });
      await drain();
      if ((await floor()) < id) await new Promise((r) => setTimeout(r, 20));
    }
    return floor();
  }

  it('moves up behind the passes, and never above a row without a position', async () => {
    const { instructor, thread } = await createDirectPair(t.db);
    await drain();
    const start = await currentPosition(t.db);
    const one = await sendMessage(
      { db: t.db },
      { threadId: thread.id, userId: instructor.id, content: 'one' },
    );
    const two = await sendMessage(
      { db: t.db },
      { threadId: thread.id, userId: instructor.id, content: 'two' },
    );
    await drain();
    const reached = await sendUntilFloorReaches(
      await eventIdOf(t.db, two.message.id),
      thread.id,
      instructor.id,
    );
    expect(reached).toBeGreaterThanOrEqual(await eventIdOf(t.db, one.message.id));
    expect(reached).toBeGreaterThanOrEqual(await eventIdOf(t.db, two.message.id));
    expect(await unnumberedAtOrBelowFloor()).toBe(0);
    // Every change since the start has its position, contiguously.
    const [counted] = await queryRows<{ n: string | number; low: string | number; high: string | number }>(
      t.db,
      sql`select count(*) as n, min(pos) as low, max(pos) as high from message_events where pos > ${start}`,
    );
    expect(Number(counted!.low)).toBe(start + 1);
    expect(Number(counted!.high) - start).toBe(Number(counted!.n));
  });

  it.runIf(kind === 'postgres')(
    'stays below a change whose transaction is still open, and numbers it in its place once it commits',
    async () => {
      const late = await createDirectPair(t.db);
      const busy = await createDirectPair(t.db);
      await drain();
      const start = await currentPosition(t.db);

      // A send that has appended its change (its id drawn) and not committed.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let opened!: (id: number) => void;
      const openId = new Promise<number>((resolve) => (opened = resolve));
      const pending = inTransaction(t.db, async (tx) => {
        const inserted = await insertMessage(tx, {
          threadId: late.thread.id,
          senderId: late.instructor.id,
          content: 'committed late',
        });
        opened(await eventIdOf(tx, inserted.message.id));
        await gate;
        return inserted;
      });
      const lateId = await openId;

      // Meanwhile another thread's sends commit with higher ids, and passes number them.
      for (let i = 0; i < 8; i++) {
        await sendMessage(
          { db: t.db },
          { threadId: busy.thread.id, userId: busy.instructor.id, content: `busy ${i}` },
        );
        await drain();
        expect(await floor()).toBeLessThan(lateId);
      }
      expect(await currentPosition(t.db)).toBe(start + 8);

      release();
      const committed = await pending;
      await drain();
      // The late change is numbered next, after the eight: nothing skipped it.
      const [row] = await queryRows<{ pos: string | number | null }>(
        t.db,
        sql`select pos from message_events where message_id = ${committed.message.id}`,
      );
      expect(Number(row!.pos)).toBe(start + 9);
      expect(await unnumberedAtOrBelowFloor()).toBe(0);

      // With nothing open any more, the floor moves past it.
      expect(await sendUntilFloorReaches(lateId, busy.thread.id, busy.instructor.id)).toBeGreaterThanOrEqual(
        lateId,
      );
    },
  );
});
