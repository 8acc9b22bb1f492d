// Domain events to sockets. A committed message change asks for a sequencer pass (sequencer.ts),
// which gives it its position; the pass's entries go to the dispatcher, which delivers the change
// feed in position order to the thread's room and its participants' rooms (skipping sockets still
// resuming), and with Redis to the other processes' dispatchers. Read receipts and lost access go
// straight out; every change to how a thread's row looks queues a thread-updated.
import type { EventBus, MessagingEvent } from '@/messaging/events';
import type { MessageFeed } from '@/messaging/message-feed';
import { metrics, observeSendStage, setGaugeSource } from '@/platform/metrics';
import { DURABLE_EVENT, threadRoom, userRoom, type WireLogEntry } from './contract';
import type { AppNamespace } from './handlers';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { SYNCING } from './resume';
import { createSequencer, observeSinceWrite } from './sequencer';
import type { ThreadUpdates } from './thread-updates';

export interface FanOutOptions {
  nsp: AppNamespace;
  feed: MessageFeed;
  events: EventBus;
  threadUpdates: ThreadUpdates;
  /** Other processes share the feed through the Redis adapter: send them this one's changes. */
  redis: boolean;
}

export interface FanOut {
  dispatcher: Dispatcher;
  /** Stops taking changes; resolves once the last sequencer pass has published. */
  close(): Promise<void>;
}

export async function startFanOut(opts: FanOutOptions): Promise<FanOut> {
  const { nsp, threadUpdates } = opts;
  const dispatcher = createDispatcher({
    feed: opts.feed,
    deliver(entry) {
      observeSinceWrite('dispatch', [entry]);
      const started = performance.now();
      const rooms = [threadRoom(entry.threadId), ...entry.participantIds.map(userRoom)];
      nsp.local.to(rooms).except(SYNCING).emit(DURABLE_EVENT[entry.kind], {
        position: entry.position,
        threadId: entry.threadId,
        message: entry.message,
      });
      const m = metrics();
      m.realtimeEvents.inc({ event: DURABLE_EVENT[entry.kind] });
      if (entry.kind === 'created') {
        observeSendStage('emit', (performance.now() - started) / 1000);
        // Commit (the message's created_at, taken in its transaction) to emit, on this process.
        m.deliveryLagSeconds.observe(Math.max(0, Date.now() - Date.parse(entry.message.createdAt)) / 1000);
      }
    },
  });
  await dispatcher.start();
  setGaugeSource('feedPositionsBehind', async () =>
    Math.max(0, (await opts.feed.currentPosition()) - dispatcher.frontier),
  );
  if (opts.redis)
    nsp.on('log-entries', (entries: WireLogEntry[]) => {
      for (const entry of entries) dispatcher.offer(entry);
    });

  // Whichever process runs a pass delivers its entries: here at once, elsewhere through Redis
  // (the dispatchers there take them in any order, and read a late one from the database).
  const sequencer = createSequencer({
    feed: opts.feed,
    publish(entries) {
      for (const entry of entries) dispatcher.offer(entry);
      if (opts.redis) nsp.serverSideEmit('log-entries', entries);
    },
  });

  function onDomainEvent(event: MessagingEvent) {
    switch (event.type) {
      case 'message.created':
      case 'message.updated':
      case 'message.deleted':
        sequencer.request();
        threadUpdates.schedule(event.threadId, 'all');
        return;
      case 'thread.created':
        threadUpdates.schedule(event.threadId, 'all');
        return;
      case 'message.mentioned':
        // The message itself went out as message.created; this is for notifications (issue 17).
        return;
      case 'thread.updated':
        threadUpdates.schedule(event.threadId, event.participantIds);
        return;
      case 'read.updated': {
        const others = event.participantIds.filter((id) => id !== event.userId).map(userRoom);
        if (others.length) {
          nsp.to(others).emit('read-receipt', {
            threadId: event.threadId,
            userId: event.userId,
            lastReadSeq: event.lastReadSeq,
            lastReadMessageId: event.lastReadMessageId,
            readAt: event.readAt,
          });
        }
        // The reader's other tabs and devices: their unread badge.
        threadUpdates.schedule(event.threadId, [event.userId]);
        return;
      }
      case 'membership.changed':
        if (!event.joined) {
          // Access ends at once: out of the thread's room on every process. The news (with the
          // user's new totals) follows with the next round of thread updates.
          nsp.in(userRoom(event.userId)).socketsLeave(threadRoom(event.threadId));
          threadUpdates.removed(event.threadId, event.userId);
        } else {
          threadUpdates.schedule(event.threadId, [event.userId]);
        }
        return;
    }
  }
  const unsubscribe = opts.events.subscribe(onDomainEvent);

  return {
    dispatcher,
    async close() {
      unsubscribe();
      await sequencer.stop();
      dispatcher.stop();
    },
  };
}
