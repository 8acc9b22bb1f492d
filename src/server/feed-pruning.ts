// The job that keeps the change feed to its window (FEED_RETENTION_DAYS): once shortly after start,
// then every hour, in the background of the server process. Every process may run it: a prune is
// idempotent (the boundary only grows, a row deleted twice is deleted once), so no leader is needed.
import type { Db } from '@/db/client';
import { pruneFeed } from '@/messaging/prune-feed';
import { logger } from '@/platform/logger';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface FeedPruningOptions {
  db: Db;
  retentionDays: number;
  /** Delay of the first run: long enough to stay out of the way of start-up. */
  firstRunMs?: number;
  everyMs?: number;
  batchSize?: number;
}

export interface FeedPruning {
  /** One prune now (what the timer runs); resolves when it is done. Never rejects. */
  runOnce(): Promise<void>;
  stop(): void;
}

export function startFeedPruning(opts: FeedPruningOptions): FeedPruning {
  const log = logger().child({ component: 'feed-pruning' });
  const everyMs = opts.everyMs ?? 60 * 60 * 1000;
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const prune = async () => {
    try {
      const olderThan = new Date(Date.now() - opts.retentionDays * DAY_MS);
      const result = await pruneFeed({ db: opts.db }, { olderThan, batchSize: opts.batchSize });
      if (result.deleted > 0) log.info({ ...result, olderThan }, 'pruned the change feed');
    } catch (err) {
      // The next run picks up where this one stopped: each batch commits on its own.
      log.warn({ err }, 'pruning the change feed failed; will retry');
    }
  };
  // Runs never overlap within a process; a slow one makes the next wait, not double up.
  const runOnce = () => (running ??= prune().finally(() => (running = null)));
  const schedule = (ms: number) => {
    if (stopped) return;
    // unref: a pending prune never keeps the process alive.
    timer = setTimeout(() => void runOnce().then(() => schedule(everyMs)), ms);
    timer.unref();
  };
  schedule(opts.firstRunMs ?? 30_000);

  return {
    runOnce,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
