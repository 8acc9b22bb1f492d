// thread-updated: a burst of changes to one thread becomes one summary per participant. One worker
// computes them, one query at a time, so under load updates get coarser instead of competing with
// sends for the database.
import type { MessagingContext } from '@/messaging/context';
import { threadSummariesForParticipants } from '@/messaging/list-threads';
import { logger } from '@/platform/logger';
import { toWire, userRoom } from './contract';
import type { AppNamespace } from './connection';

export interface ThreadUpdates {
  /** Queues a fresh summary of the thread for these participants, or for all of them. */
  schedule(threadId: string, users: string[] | 'all'): void;
  close(): Promise<void>;
}

export function createThreadUpdates(opts: {
  nsp: AppNamespace;
  ctx: MessagingContext;
  /** How long to wait to fold a burst of changes into one summary per user. */
  delayMs?: number;
}): ThreadUpdates {
  const delayMs = opts.delayMs ?? 150;
  const log = logger().child({ component: 'realtime' });
  const dirty = new Map<string, Set<string> | 'all'>();
  let worker: Promise<void> | undefined;
  let closed = false;

  async function run() {
    let pause = delayMs;
    while (dirty.size > 0 && !closed) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      const started = Date.now();
      for (const [threadId, users] of [...dirty]) {
        dirty.delete(threadId);
        if (!closed) await send(threadId, users);
      }
      // Busy: rest twice as long as the round took, so summaries never take over the database.
      pause = Math.max(delayMs, 2 * (Date.now() - started));
    }
  }

  async function send(threadId: string, users: Set<string> | 'all') {
    try {
      for (const { userId, summary } of await threadSummariesForParticipants(opts.ctx.db, threadId)) {
        if (users !== 'all' && !users.has(userId)) continue;
        opts.nsp.to(userRoom(userId)).emit('thread-updated', { threadId, thread: toWire(summary) });
      }
    } catch (err) {
      log.warn({ err, threadId }, 'thread-updated could not be computed');
    }
  }

  return {
    schedule(threadId, users) {
      const existing = dirty.get(threadId);
      if (users === 'all' || existing === 'all') dirty.set(threadId, 'all');
      else dirty.set(threadId, new Set([...(existing ?? []), ...users]));
      worker ??= run().finally(() => (worker = undefined));
    },
    async close() {
      closed = true;
      dirty.clear();
      await worker;
    },
  };
}
