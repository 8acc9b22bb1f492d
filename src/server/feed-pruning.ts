// The job that keeps the change feed to its window (FEED_RETENTION_DAYS): once shortly after start,
// then every hour, in the background of the server process. Every process may run it: a prune is
// idempotent (the boundary only grows, a row deleted twice is deleted once), so no leader is needed.
import type { Db } from '@/db/client';
import { pruneFeed } from '@/messaging/prune-feed';
import { logger } from '@/platform/logger';
import { startPeriodicJob, type PeriodicJob } from './periodic-job';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface FeedPruningOptions {
  db: Db;
  retentionDays: number;
  /** Delay of the first run: long enough to stay out of the way of start-up. */
  firstRunMs?: number;
  everyMs?: number;
  batchSize?: number;
}

export type FeedPruning = PeriodicJob;

export function startFeedPruning(opts: FeedPruningOptions): FeedPruning {
  return startPeriodicJob({
    name: 'feed-pruning',
    firstRunMs: opts.firstRunMs ?? 30_000,
    everyMs: opts.everyMs ?? 60 * 60 * 1000,
    // Each batch commits on its own, so a failed run's successor picks up where it stopped.
    run: async () => {
      const olderThan = new Date(Date.now() - opts.retentionDays * DAY_MS);
      const result = await pruneFeed({ db: opts.db }, { olderThan, batchSize: opts.batchSize });
      if (result.deleted > 0) logger().info({ ...result, olderThan }, 'pruned the change feed');
    },
  });
}
