// A feed position can vanish after it was numbered: its message goes with a thread or user removed
// by hand (the foreign keys cascade). The dispatcher delivers in strict position order, so before
// it learned to step over such a hole it waited for the missing position forever and delivered
// nothing after it. Real database: PGlite, and Postgres when DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { messageThreads } from '@/db/schema';
import { sequenceFeed } from '@/messaging/feed-sequencer';
import { createMessageFeed } from '@/messaging/message-feed';
import { sendMessage } from '@/messaging/send-message';
import type { WireLogEntry } from '@/realtime/contract';
import { createDispatcher } from '@/realtime/dispatcher';
import { createDirectPair } from '../factories';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

describe.each(dbKinds())('dispatcher on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('steps over positions deleted before delivery and delivers what follows, in order', async () => {
    const gone = await createDirectPair(t.db);
    const kept = await createDirectPair(t.db);
    const delivered: WireLogEntry[] = [];
    const dispatcher = createDispatcher({
      feed: createMessageFeed({ db: t.db }),
      deliver: (entry) => void delivered.push(entry),
      pollMs: 60_000,
    });
    await dispatcher.start();
    try {
      const start = dispatcher.frontier;
      const send = (pair: typeof gone, content: string) =>
        sendMessage({ db: t.db }, { threadId: pair.thread.id, userId: pair.instructor.id, content });
      const first = await send(kept, 'before the hole');
      await send(gone, 'removed with its thread');
      const last = await send(kept, 'after the hole');
      // Numbered here and handed to nobody: the dispatcher can only read them from the database.
      while ((await sequenceFeed({ db: t.db })).length > 0);
      await t.db.delete(messageThreads).where(eq(messageThreads.id, gone.thread.id));

      expect(await dispatcher.reach(start + 3)).toBe(start + 3);
      expect(delivered.map((e) => [e.position, e.message.id])).toEqual([
        [start + 1, first.message.id],
        [start + 3, last.message.id],
      ]);
    } finally {
      dispatcher.stop();
    }
  });
});
