// thread-updated: a burst of changes to one thread becomes one summary per participant, carrying
// that participant's unread totals so the browser needs no REST call per message. One worker
// computes them a round at a time (every dirty thread's summaries in one read, then every
// recipient's totals in one query), so under load updates get coarser instead of competing with
// sends for the database. A round goes to the other processes as one message (with Redis), not one
// per recipient, and each process emits to its own sockets a slice at a time, so a round of a few
// hundred recipients never holds the event loop while sends wait.
//
// Rounds are paced by what they cost. Every recipient is a separate emit (its own room, its own
// totals), so a class thread's round costs thirty times a DIRECT one's: in bench:realtime's class
// scenario the summaries took three times the event loop's time the messages themselves did. After
// a round of n recipients the worker rests n / emitsPerSecond seconds (at least delayMs, and twice
// the round's own time; at most MAX_PACED_PAUSE_MS): a busy process sends coarser summaries, not
// more of them, and deliveries keep the loop. A badge a fraction of a second late is not noticed; a
// late message is.
import { countUnreadTotalsForUsers } from '@/messaging/count-unread';
import type { MessagingContext } from '@/messaging/context';
import { threadSummariesForParticipants } from '@/messaging/list-threads';
import { logger } from '@/platform/logger';
import { userRoom, type ThreadUpdatedPayload, type WireThreadUpdate } from './contract';
import type { AppNamespace } from './handlers';

export interface ThreadUpdates {
  /** Queues a fresh summary of the thread for these participants, or for all of them. */
  schedule(threadId: string, users: string[] | 'all'): void;
  /** Queues `thread: null` for a user who lost the thread, unless they are back in it by then. */
  removed(threadId: string, userId: string): void;
  close(): Promise<void>;
}

interface Dirty {
  users: Set<string> | 'all';
  removed: Set<string>;
}

/** The pacing's longest rest: a class of thousands still sees its badges move every two seconds. */
const MAX_PACED_PAUSE_MS = 2_000;

/** Recipients emitted to per turn of the event loop. */
const EMIT_SLICE = 16;

/** One recipient's thread-updated, before its totals are known. */
type Update = Omit<ThreadUpdatedPayload, 'unread'> & { userId: string };

export function createThreadUpdates(opts: {
  nsp: AppNamespace;
  ctx: MessagingContext;
  /** How long to wait to fold a burst of changes into one summary per user. */
  delayMs?: number;
  /** Other processes hold sockets too (the Redis adapter): hand them each round. */
  redis?: boolean;
  /** The recipients per second the rounds aim to stay under, on average (see the top). */
  emitsPerSecond?: number;
}): ThreadUpdates {
  const delayMs = opts.delayMs ?? 150;
  const emitsPerSecond = opts.emitsPerSecond ?? 400;
  const log = logger().child({ component: 'realtime' });
  const dirty = new Map<string, Dirty>();
  let worker: Promise<void> | undefined;
  let closed = false;
  /** No round starts before this (ms since the epoch). */
  let restUntil = 0;

  if (opts.redis) opts.nsp.on('thread-updates', (round: WireThreadUpdate[]) => void emitLocally(round));

  /** To this process's sockets, EMIT_SLICE recipients at a time with a turn of the event loop between. */
  async function emitLocally(round: WireThreadUpdate[]) {
    for (let i = 0; i < round.length; i += EMIT_SLICE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      for (const { userId, ...payload } of round.slice(i, i + EMIT_SLICE))
        opts.nsp.local.to(userRoom(userId)).emit('thread-updated', payload);
    }
  }

  function mark(threadId: string, users: string[] | 'all', removed: string[]) {
    const entry = dirty.get(threadId) ?? { users: new Set<string>(), removed: new Set<string>() };
    if (users === 'all' || entry.users === 'all') entry.users = 'all';
    else for (const userId of users) entry.users.add(userId);
    for (const userId of removed) entry.removed.add(userId);
    dirty.set(threadId, entry);
    worker ??= run().finally(() => (worker = undefined));
  }

  async function run() {
    while (dirty.size > 0 && !closed) {
      // The fold window, or the rest the last round earned if longer (kept across idle spells:
      // a worker started afresh still owes it).
      const wait = Math.max(delayMs, restUntil - Date.now());
      await new Promise((resolve) => setTimeout(resolve, wait));
      const started = Date.now();
      const round = [...dirty];
      dirty.clear();
      const updates = closed ? [] : await summarise(round);
      if (!closed) await send(updates);
      // Rest twice as long as the round took, so summaries never take over the database, and
      // long enough that the recipients average emitsPerSecond.
      const paced = Math.min(MAX_PACED_PAUSE_MS, (1000 * updates.length) / emitsPerSecond);
      restUntil = Date.now() + Math.max(2 * (Date.now() - started), paced);
    }
  }

  /** Every dirty thread of a round in one read (two statements, whatever their number). */
  async function summarise(round: Array<[string, Dirty]>): Promise<Update[]> {
    const updates: Update[] = [];
    const present = new Set<string>();
    try {
      const wanted = new Map(round.map(([threadId, { users }]) => [threadId, users]));
      for (const { threadId, userId, summary } of await threadSummariesForParticipants(opts.ctx, [
        ...wanted.keys(),
      ])) {
        present.add(`${threadId}\u0000${userId}`);
        const users = wanted.get(threadId);
        if (users === 'all' || users?.has(userId)) updates.push({ userId, threadId, thread: summary });
      }
    } catch (err) {
      log.warn({ err, threads: round.length }, 'thread-updated could not be computed');
    }
    // A user who left and came back within one round gets the summary above, not a removal.
    for (const [threadId, { removed }] of round)
      for (const userId of removed)
        if (!present.has(`${threadId}\u0000${userId}`)) updates.push({ userId, threadId, thread: null });
    return updates;
  }

  async function send(updates: Update[]) {
    if (updates.length === 0) return;
    try {
      const totals = await countUnreadTotalsForUsers(opts.ctx, {
        userIds: [...new Set(updates.map((u) => u.userId))],
      });
      const round: WireThreadUpdate[] = [];
      for (const update of updates) {
        const unread = totals.get(update.userId);
        if (unread) round.push({ ...update, unread });
      }
      if (opts.redis && round.length) opts.nsp.serverSideEmit('thread-updates', round);
      await emitLocally(round);
    } catch (err) {
      log.warn({ err, users: updates.length }, 'unread totals could not be computed; thread-updated skipped');
    }
  }

  return {
    schedule: (threadId, users) => mark(threadId, users, []),
    removed: (threadId, userId) => mark(threadId, [], [userId]),
    async close() {
      closed = true;
      dirty.clear();
      await worker;
    },
  };
}
