// The job that keeps the analytics rollups within seconds of live (src/classroom/analytics-rollup.ts):
// every few seconds it applies what the change feed committed since its last run. Every process may
// run it: runs are serialised in the database and each applies a position range once.
import type { Db } from '@/db/client';
import { catchUpAnalytics } from '@/classroom/analytics-rollup';
import { startPeriodicJob, type PeriodicJob } from './periodic-job';

export function startAnalyticsJob(opts: { db: Db; firstRunMs?: number; everyMs?: number }): PeriodicJob {
  return startPeriodicJob({
    name: 'analytics-rollup',
    firstRunMs: opts.firstRunMs ?? 2_000,
    everyMs: opts.everyMs ?? 10_000,
    run: async () => void (await catchUpAnalytics({ db: opts.db })),
  });
}
