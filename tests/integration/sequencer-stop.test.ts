// Stopping the sequencer waits for a pass already reading the feed, and that pass still publishes
// what it numbered. Shutdown closes the Redis clients right after: a pass that published later
// went out on a closed client and crashed the process on SIGTERM (seen in CI's two-process loss
// test). Real database: PGlite, and Postgres when DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageFeed } from '@/messaging/message-feed';
import type { TLogEntry } from '@/messaging/message-log';
import { sendMessage } from '@/messaging/send-message';
import { createSequencer } from '@/realtime/sequencer';
import { createDirectPair } from '../factories';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

describe.each(dbKinds())('sequencer stop on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('resolves only after the pass in flight has published its entries', async () => {
    const { instructor, thread } = await createDirectPair(t.db);
    const sent = await sendMessage(
      { db: t.db },
      { threadId: thread.id, userId: instructor.id, content: 'last words' },
    );
    const published: TLogEntry[] = [];
    // A long interval: only the request below runs a pass.
    const sequencer = createSequencer({
      feed: createMessageFeed({ db: t.db }),
      publish: (entries) => void published.push(...entries),
      intervalMs: 60_000,
    });
    sequencer.request();
    expect(published).toHaveLength(0); // the pass is reading the database
    await sequencer.stop();
    expect(published.map((e) => e.message.id)).toContain(sent.message.id);

    // Stopped: a later request runs nothing.
    const after = await sendMessage(
      { db: t.db },
      { threadId: thread.id, userId: instructor.id, content: 'too late' },
    );
    sequencer.request();
    await sequencer.stop();
    expect(published.map((e) => e.message.id)).not.toContain(after.message.id);
  });
});
