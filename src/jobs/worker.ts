// Runs jobs of the `jobs` table (queue.ts) in this process: polls for due jobs every `pollMs`
// (and at once when `wake()` is called, e.g. after a local enqueue), runs up to `concurrency` at a
// time, keeps their leases alive while they run, and records the outcome. A handler that throws is
// retried with exponential backoff until the job's maxAttempts, then marked failed; `onFailure`
// hears of both (for logs and metrics). Any number of processes may run workers on one database.
import { randomUUID } from 'node:crypto';
import type { Db } from '@/db/client';
import { logger } from '@/platform/logger';
import { backoffMs, claimJobs, extendLease, finishJob, type ClaimedJob } from './queue';

/** What a handler may answer: nothing (done), or a time to run again without counting a failure. */
export type JobOutcome = void | { runAgainAt: Date };

export type JobHandler = (job: ClaimedJob) => Promise<JobOutcome>;

export interface JobWorkerOptions {
  db: Db;
  handlers: Record<string, JobHandler>;
  /** Default: a random id; it names the lease holder in `jobs.locked_by`. */
  workerId?: string;
  pollMs?: number;
  leaseMs?: number;
  concurrency?: number;
  /** Base of the retry backoff (doubled per attempt, capped at an hour). */
  retryBaseMs?: number;
  /** What "now" is when deciding which jobs are due (tests inject a clock). */
  now?: () => Date;
  onFailure?(job: ClaimedJob, err: unknown, final: boolean): void;
}

export interface JobWorker {
  workerId: string;
  /** Polls now rather than at the next tick. */
  wake(): void;
  /** Claims and runs what is due until nothing is; resolves when those runs have finished. */
  drain(): Promise<void>;
  /** Stops polling and waits for the jobs in flight. */
  stop(): Promise<void>;
}

export function startJobWorker(opts: JobWorkerOptions): JobWorker {
  const workerId = opts.workerId ?? `worker-${randomUUID()}`;
  const pollMs = opts.pollMs ?? 1_000;
  const leaseMs = opts.leaseMs ?? 60_000;
  const concurrency = opts.concurrency ?? 4;
  const queues = Object.keys(opts.handlers);
  const now = opts.now ?? (() => new Date());
  const log = logger().child({ component: 'jobs', workerId });
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let polling: Promise<number> | null = null;

  async function run(job: ClaimedJob) {
    const handler = opts.handlers[job.queue]!;
    // Renew at a third of the lease, so a slow run keeps its job; a crash lets the lease lapse.
    const heartbeat = setInterval(
      () => void extendLease(opts.db, job, workerId, leaseMs).catch(() => undefined),
      Math.max(1_000, leaseMs / 3),
    );
    heartbeat.unref();
    try {
      const outcome = await handler(job);
      await finishJob(
        opts.db,
        job,
        workerId,
        outcome ? { state: 'later', runAt: outcome.runAgainAt } : { state: 'done' },
      );
    } catch (err) {
      const final = job.attempt >= job.maxAttempts;
      const error = err instanceof Error ? err.message : String(err);
      opts.onFailure?.(job, err, final);
      await finishJob(
        opts.db,
        job,
        workerId,
        final
          ? { state: 'failed', error }
          : {
              state: 'retry',
              error,
              runAt: new Date(now().getTime() + backoffMs(job.attempt, opts.retryBaseMs)),
            },
      ).catch((e: unknown) => log.warn({ err: e, jobId: job.id }, 'could not record a job failure'));
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function pollOnce(): Promise<number> {
    const free = concurrency - inFlight.size;
    if (free <= 0 || stopped) return 0;
    const claimed = await claimJobs(opts.db, { queues, workerId, leaseMs, limit: free, now: now() });
    for (const job of claimed) {
      const p = run(job).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    return claimed.length;
  }

  const poll = () =>
    (polling ??= pollOnce()
      .catch((err: unknown) => {
        log.warn({ err }, 'claiming jobs failed; will retry');
        return 0;
      })
      .finally(() => (polling = null)));

  const tick = () => {
    if (stopped) return;
    timer = setTimeout(() => void poll().then(tick), pollMs);
    timer.unref();
  };
  tick();

  return {
    workerId,
    wake: () => void poll(),
    async drain() {
      for (;;) {
        const claimed = await poll();
        if (inFlight.size) await Promise.all(inFlight);
        if (claimed === 0 && inFlight.size === 0) return;
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await polling;
      await Promise.all(inFlight);
    },
  };
}
