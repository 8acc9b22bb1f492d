// Delivers the change feed to this process's sockets in position order, each position once.
// Entries arrive fast from this process's sequencer passes and, through the Redis adapter, from
// other processes' passes, in any order. Positions are contiguous, so a missing one is noticed,
// waited for briefly, and then read from the database; a periodic check of the counter catches
// the last positions of a process that died between its pass's commit and its publish. The
// database is the truth; the passes' hand-off is a shortcut.
import type { MessageFeed } from '@/messaging/message-feed';
import { logger } from '@/platform/logger';
import { deliveryFailed } from '@/platform/ops-events';
import type { WireLogEntry } from './contract';

export interface DispatcherOptions {
  feed: MessageFeed;
  /** Called in strictly increasing position order, once per position. */
  deliver(entry: WireLogEntry): void;
  /** How long a gap may wait for its entry to arrive before the database is asked. */
  gapWaitMs?: number;
  /** How often the counter is checked for changes nobody announced. */
  pollMs?: number;
  batchSize?: number;
}

export interface Dispatcher {
  /** Everything up to here has been delivered. */
  readonly frontier: number;
  start(): Promise<void>;
  offer(entry: WireLogEntry): void;
  /** Resolves once the frontier has reached `position` (or the committed end, if lower). */
  reach(position: number): Promise<number>;
  stop(): void;
}

export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const gapWaitMs = opts.gapWaitMs ?? 25;
  const pollMs = opts.pollMs ?? 1000;
  const batchSize = opts.batchSize ?? 500;
  const log = logger().child({ component: 'dispatcher' });
  let frontier = 0;
  let stopped = false;
  const pending = new Map<number, WireLogEntry>();
  let gapTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  // One database read at a time; callers that need a later position chain on it.
  let filling: Promise<void> = Promise.resolve();

  function drain() {
    let next = pending.get(frontier + 1);
    while (next) {
      pending.delete(frontier + 1);
      frontier = next.position;
      try {
        opts.deliver(next);
      } catch (err) {
        deliveryFailed({ err, position: next.position, threadId: next.threadId });
      }
      next = pending.get(frontier + 1);
    }
    for (const p of pending.keys()) if (p <= frontier) pending.delete(p);
    if (pending.size > 0 && !gapTimer && !stopped) {
      gapTimer = setTimeout(() => {
        gapTimer = undefined;
        void fill(Math.max(...pending.keys()));
      }, gapWaitMs);
    }
  }

  /** Reads (frontier, target] from the database and delivers it. */
  function fill(target?: number): Promise<void> {
    filling = filling.then(async () => {
      if (stopped) return;
      try {
        const end = target ?? (await opts.feed.currentPosition());
        while (frontier < end && !stopped) {
          const rows = await opts.feed.read({ after: frontier, upTo: end, limit: batchSize });
          for (const row of rows) pending.set(row.position, row);
          drain();
          // Every position up to `end` is committed, so one this complete read lacks (and nobody
          // offered) was deleted with its message, by a cascade from a thread or user removed by
          // hand: step over it rather than wait for it forever.
          const covered = rows.length < batchSize ? end : rows[rows.length - 1]!.position;
          const skipped: number[] = [];
          while (frontier < covered) {
            frontier += 1; // frontier + 1 was missing: drain() stopped there
            skipped.push(frontier);
            drain();
          }
          if (skipped.length)
            log.warn({ positions: skipped }, 'feed positions deleted before delivery; skipped');
          if (rows.length < batchSize) break;
        }
      } catch (err) {
        log.warn({ err }, 'reading the change feed failed; will retry');
      }
    });
    return filling;
  }

  const poll = () => {
    pollTimer = setTimeout(() => {
      void fill().finally(() => {
        if (!stopped) poll();
      });
    }, pollMs);
    pollTimer.unref();
  };

  return {
    get frontier() {
      return frontier;
    },
    async start() {
      frontier = await opts.feed.currentPosition();
      poll();
    },
    offer(entry) {
      if (stopped || entry.position <= frontier) return;
      pending.set(entry.position, entry);
      drain();
    },
    async reach(position) {
      if (frontier >= position) return frontier;
      const committed = await opts.feed.currentPosition();
      await fill(Math.min(position, committed));
      return frontier;
    },
    stop() {
      stopped = true;
      clearTimeout(gapTimer);
      clearTimeout(pollTimer);
      pending.clear();
    },
  };
}
