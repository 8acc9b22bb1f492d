// Domain events to sockets. A message change goes to the dispatcher, which delivers the change feed
// in position order to the thread's room and its participants' rooms (skipping sockets still
// resuming), and with Redis to the other processes' dispatchers. Read receipts and lost access go
// straight out; every change to how a thread's row looks queues a thread-updated.
import type { EventBus, MessageChangeEvent, MessagingEvent } from '@/messaging/events';
import type { MessageFeed } from '@/messaging/message-feed';
import type { TMessageChange } from '@/messaging/message-log';
import { DURABLE_EVENT, threadRoom, userRoom, type WireLogEntry } from './contract';
import type { AppNamespace } from './handlers';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { SYNCING } from './resume';
import type { ThreadUpdates } from './thread-updates';

const CHANGE_KIND = {
  'message.created': 'created',
  'message.updated': 'updated',
  'message.deleted': 'deleted',
} as const satisfies Record<MessageChangeEvent['type'], TMessageChange>;

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
  close(): void;
}

export async function startFanOut(opts: FanOutOptions): Promise<FanOut> {
  const { nsp, threadUpdates } = opts;
  const dispatcher = createDispatcher({
    feed: opts.feed,
    deliver(entry) {
      const rooms = [threadRoom(entry.threadId), ...entry.participantIds.map(userRoom)];
      nsp.local.to(rooms).except(SYNCING).emit(DURABLE_EVENT[entry.kind], {
        position: entry.position,
        threadId: entry.threadId,
        message: entry.message,
      });
    },
  });
  await dispatcher.start();
  if (opts.redis) nsp.on('log-entry', (entry: WireLogEntry) => dispatcher.offer(entry));

  function offerChange(event: MessageChangeEvent) {
    const entry: WireLogEntry = {
      position: event.position,
      kind: CHANGE_KIND[event.type],
      threadId: event.threadId,
      participantIds: event.participantIds,
      message: event.message,
    };
    dispatcher.offer(entry);
    if (opts.redis) nsp.serverSideEmit('log-entry', entry);
  }

  function onDomainEvent(event: MessagingEvent) {
    switch (event.type) {
      case 'message.created':
      case 'message.updated':
      case 'message.deleted':
        offerChange(event);
        threadUpdates.schedule(event.threadId, 'all');
        return;
      case 'thread.created':
        threadUpdates.schedule(event.threadId, 'all');
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
    close() {
      unsubscribe();
      dispatcher.stop();
    },
  };
}
