// What the messaging domain announces after a commit. The realtime layer subscribes and fans the
// events out to sockets; nothing here knows about Socket.IO. Publishing happens only after the
// transaction that made the change has committed, so no one hears of a change a rollback removed.
import { logger } from '@/platform/logger';
import type { TMessageView, TThreadRef } from './dto';

/**
 * A change to a message, committed. Its durable position comes later, from a sequencer pass over
 * the change feed (feed-sequencer.ts); this event is the cue to run one.
 */
export interface MessageChangeEvent {
  type: 'message.created' | 'message.updated' | 'message.deleted';
  threadId: string;
  participantIds: string[];
  message: TMessageView;
}

export type MessagingEvent =
  | MessageChangeEvent
  | {
      /**
       * A committed message @mentions these participants (participantIds): the hook for notifying
       * them through their preferences. Their unread is already marked (message_mentions).
       */
      type: 'message.mentioned';
      threadId: string;
      participantIds: string[];
      message: TMessageView;
    }
  | { type: 'thread.created'; threadId: string; participantIds: string[]; thread: TThreadRef }
  | {
      type: 'thread.updated';
      threadId: string;
      /** Who should refresh this thread: everyone for a rename, the caller for mute/archive. */
      participantIds: string[];
      thread: TThreadRef;
    }
  | {
      type: 'read.updated';
      threadId: string;
      participantIds: string[];
      userId: string;
      lastReadSeq: number;
      lastReadMessageId: string | null;
      readAt: string;
    }
  | {
      /** A student joined or left a class: their CLASS threads of that class follow. */
      type: 'membership.changed';
      threadId: string;
      participantIds: string[];
      userId: string;
      joined: boolean;
    };

export interface EventPublisher {
  publish(event: MessagingEvent): void;
}

export type EventListener = (event: MessagingEvent) => void | Promise<void>;

export interface EventBus extends EventPublisher {
  /** Returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void;
}

/**
 * An in-process bus. A failing listener is logged and never fails the use case that published:
 * by then the change is committed and the caller must get its answer.
 */
export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          const pending = listener(event);
          if (pending) pending.catch((err: unknown) => logFailure(err, event));
        } catch (err) {
          logFailure(err, event);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function logFailure(err: unknown, event: MessagingEvent) {
  logger().error({ err, event: event.type, threadId: event.threadId }, 'messaging event listener failed');
}

/** For scripts (the seed) that change data with nobody listening. */
export const silentPublisher: EventPublisher = { publish: () => undefined };
