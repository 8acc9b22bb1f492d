// The change feed keeps a window: pruneFeed (and the server's job around it) deletes old rows of
// message_events in batches, at or below a position boundary that it records for the resume.
// The real database: PGlite, and Postgres when DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMessages } from '@/messaging/list-messages';
import { createMessageFeed } from '@/messaging/message-feed';
import { feedPrunedThrough, pruneFeed } from '@/messaging/prune-feed';
import { sendMessage } from '@/messaging/send-message';
import { startFeedPruning } from '@/server/feed-pruning';
import { createDirectPair } from '../factories';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';
import { age, feedPositions, makeYoung, windowStart } from '../support/feed-window';

describe.each(dbKinds())('pruning the change feed on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database?.dispose());

  it('deletes only rows older than the window and at or below the boundary, in batches, and the feed stays readable', async () => {
    const { instructor, thread } = await createDirectPair(database.db);
    const ids: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const sent = await sendMessage(
        { db: database.db },
        { threadId: thread.id, userId: instructor.id, content: `m ${i}` },
      );
      ids.push(sent.message.id);
    }
    // Writers append unnumbered rows; a sequencer pass (the realtime server's job) numbers them.
    await createMessageFeed(database).sequence();
    expect(await feedPositions(database.db)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // 1..7 are old, but 3 was stamped inside the window (a straggler below the boundary).
    await age(database.db, 1, 7);
    await makeYoung(database.db, 3);

    const result = await pruneFeed({ db: database.db }, { olderThan: windowStart(), batchSize: 3 });
    // [1,2,3] → 1,2; [4,5,6] → 4,5,6; [7,8,9] → 7; [10]: nothing old, the window starts here.
    expect(result).toEqual({ deleted: 6, batches: 3, prunedThrough: 7 });
    expect(await feedPositions(database.db)).toEqual([3, 8, 9, 10]);
    expect(await feedPrunedThrough(database.db)).toBe(7);

    // Above the boundary the feed reads as before; the messages themselves are untouched.
    const feed = createMessageFeed(database);
    const after = await feed.read({ after: 7, upTo: await feed.currentPosition(), limit: 100 });
    expect(after.map((e) => e.position)).toEqual([8, 9, 10]);
    expect(after.map((e) => e.message.id)).toEqual(ids.slice(7));
    const page = await listMessages({ db: database.db }, { threadId: thread.id, userId: instructor.id });
    expect(page.messages.map((m) => m.id)).toEqual(ids);

    // A second run has nothing to do; once the straggler is old it goes too, the boundary stays.
    expect(await pruneFeed({ db: database.db }, { olderThan: windowStart(), batchSize: 3 })).toEqual({
      deleted: 0,
      batches: 0,
      prunedThrough: 7,
    });
    await age(database.db, 3, 3);
    await age(database.db, 8, 8);
    expect(await pruneFeed({ db: database.db }, { olderThan: windowStart(), batchSize: 3 })).toEqual({
      deleted: 2,
      batches: 1,
      prunedThrough: 8,
    });
    expect(await feedPositions(database.db)).toEqual([9, 10]);
  });

  it("the server's job prunes by FEED_RETENTION_DAYS and keeps what is inside it", async () => {
    const { instructor, thread } = await createDirectPair(database.db);
    const first = await createMessageFeed(database).currentPosition();
    for (let i = 0; i < 4; i++)
      await sendMessage(
        { db: database.db },
        { threadId: thread.id, userId: instructor.id, content: `j ${i}` },
      );
    await createMessageFeed(database).sequence();
    // 10 days old: outside a 7-day window, inside a 30-day one.
    await age(database.db, 0, first + 2, 10);
    const all = await feedPositions(database.db);
    expect(all.slice(-4)).toEqual([first + 1, first + 2, first + 3, first + 4]);
    const keep = startFeedPruning({ db: database.db, retentionDays: 30, firstRunMs: 60_000 });
    await keep.runOnce();
    keep.stop();
    expect(await feedPositions(database.db)).toEqual(all);

    const prune = startFeedPruning({ db: database.db, retentionDays: 7, firstRunMs: 60_000, batchSize: 1 });
    await prune.runOnce();
    prune.stop();
    expect(await feedPositions(database.db)).toEqual([first + 3, first + 4]);
    expect(await feedPrunedThrough(database.db)).toBe(first + 2);
  });
});
