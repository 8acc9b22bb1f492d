// A client that resumes from below the change feed's pruned boundary gets `resync-required` instead
// of a partial replay, then live events as usual; one inside the window is replayed as before. Real
// sockets and the real database (PGlite, and Postgres when DATABASE_URL is set).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listMessages } from '@/messaging/list-messages';
import { createMessageFeed } from '@/messaging/message-feed';
import { pruneFeed } from '@/messaging/prune-feed';
import { sendMessage } from '@/messaging/send-message';
import { memoryOutbox, type OutboxEntry } from '@/realtime/client';
import type { MessageEventPayload, ResyncRequiredPayload, SyncPayload } from '@/realtime/contract';
import { createDirectPair } from '../factories';
import { dbKinds } from '../support/db';
import { age, untilSequenced, windowStart } from '../support/feed-window';
import { useRealtimeSuite } from '../support/realtime-suite';
import { clientFor } from '../support/realtime';

describe.each(dbKinds())('resuming across the feed window on %s', (kind) => {
  const suite = useRealtimeSuite(kind);
  const { clients } = suite;

  /** A client with every event it hears recorded in order, listening before its handshake. */
  async function open(user: { email: string }, opts: { position?: number; outbox?: OutboxEntry[] } = {}) {
    const client = clientFor(suite.server.url, await suite.api.cookieFor(user), {
      position: opts.position,
      outbox: memoryOutbox(opts.outbox),
    });
    clients.push(client);
    const heard: Array<
      | { event: 'new-message'; payload: MessageEventPayload }
      | { event: 'resync-required'; payload: ResyncRequiredPayload; outbox: number }
      | { event: 'sync'; payload: SyncPayload }
    > = [];
    client.on('new-message', (payload) => void heard.push({ event: 'new-message', payload }));
    client.on(
      'resync-required',
      (payload) => void heard.push({ event: 'resync-required', payload, outbox: client.outbox.length }),
    );
    client.on('sync', (payload) => void heard.push({ event: 'sync', payload }));
    await client.ready();
    return { client, heard };
  }

  /** Sends, then waits for the server's sequencer to number it and hand it to its dispatcher. */
  const say = async (pair: Awaited<ReturnType<typeof createDirectPair>>, content: string) => {
    const sent = await sendMessage(suite.api.services, {
      threadId: pair.thread.id,
      userId: pair.instructor.id,
      content,
    });
    await untilSequenced(suite.database.db);
    return sent;
  };

  /** Sends `n` messages, ages everything so far out of the window and prunes it. */
  async function pruneEverything(pair: Awaited<ReturnType<typeof createDirectPair>>, n: number) {
    for (let i = 0; i < n; i++) await say(pair, `old ${i}`);
    const feed = createMessageFeed(suite.database);
    const through = await feed.currentPosition();
    await age(suite.database.db, 0, through);
    const result = await pruneFeed({ db: suite.database.db }, { olderThan: windowStart(), batchSize: 2 });
    expect(result.prunedThrough).toBe(through);
    return through;
  }

  it('a client resuming from inside the window gets its replay as before', async () => {
    const pair = await createDirectPair(suite.database.db);
    const boundary = await pruneEverything(pair, 3);
    const missed = [];
    for (let i = 0; i < 4; i++) missed.push((await say(pair, `missed ${i}`)).message.id);

    const { client, heard } = await open(pair.student, { position: boundary });
    expect(heard.map((h) => h.event)).toEqual([
      'new-message',
      'new-message',
      'new-message',
      'new-message',
      'sync',
    ]);
    expect(heard.flatMap((h) => (h.event === 'new-message' ? [h.payload.message.id] : []))).toEqual(missed);
    expect(heard.at(-1)!.payload).toEqual({ position: boundary + 4, replayed: 4, resumed: true });
    expect(client.position).toBe(boundary + 4);
  });

  it('a client resuming from before the boundary gets resync-required, not a partial replay, then live messages', async () => {
    const pair = await createDirectPair(suite.database.db);
    const before = await createMessageFeed(suite.database).currentPosition();
    await say(pair, 'seen');
    const boundary = await pruneEverything(pair, 3);
    // Still in the feed, but the client's position is below the boundary: replaying these alone
    // would look like everything it missed.
    await say(pair, 'inside the window');
    const frontier = await createMessageFeed(suite.database).currentPosition();

    const { client, heard } = await open(pair.student, { position: before + 1 });
    expect(heard).toEqual([
      { event: 'resync-required', payload: { position: frontier }, outbox: 0 },
      { event: 'sync', payload: { position: frontier, replayed: 0, resumed: false } },
    ]);
    expect(boundary).toBeGreaterThan(before + 1);
    // The typed client adopted the frontier.
    expect(client.position).toBe(frontier);

    // Live events flow from there.
    const live = await say(pair, 'live after the resync');
    await expect
      .poll(() => heard.flatMap((h) => (h.event === 'new-message' ? [h.payload.message.id] : [])))
      .toEqual([live.message.id]);
    expect(client.position).toBe(frontier + 1);

    // A later reconnect resumes normally from the adopted position.
    client.socket.disconnect();
    const missed = await say(pair, 'missed while away');
    client.socket.connect();
    await expect.poll(() => heard.filter((h) => h.event === 'sync').length).toBe(2);
    expect(heard.slice(3)).toEqual([
      { event: 'new-message', payload: expect.objectContaining({ position: frontier + 2 }) },
      { event: 'sync', payload: { position: frontier + 2, replayed: 1, resumed: true } },
    ]);
    expect(heard.slice(3)[0]!.payload).toMatchObject({ message: { id: missed.message.id } });
  });

  it('the typed client keeps its outbox through a resync and sends it afterwards, once', async () => {
    const pair = await createDirectPair(suite.database.db);
    await pruneEverything(pair, 2);
    const pending: OutboxEntry = {
      clientMessageId: randomUUID(),
      threadId: pair.thread.id,
      content: 'written offline, a month ago',
      queuedAt: Date.now(),
      attempts: 1,
      state: 'pending',
    };
    const { client, heard } = await open(pair.student, { position: 0, outbox: [pending] });
    // The outbox was still there when listeners heard resync-required, and is sent after `sync`.
    expect(heard[0]).toMatchObject({ event: 'resync-required', outbox: 1 });
    await expect.poll(() => client.outbox.length).toBe(0);
    const page = await listMessages(
      { db: suite.database.db },
      { threadId: pair.thread.id, userId: pair.student.id },
    );
    expect(page.messages.filter((m) => m.clientMessageId === pending.clientMessageId)).toHaveLength(1);
    // Its own message arrives live like any other.
    await expect
      .poll(() =>
        heard.some((h) => h.event === 'new-message' && h.payload.message.content === pending.content),
      )
      .toBe(true);
  });
});
