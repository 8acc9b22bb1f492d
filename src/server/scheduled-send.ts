// The job that sends scheduled messages when they are due (src/messaging/send-due-scheduled.ts):
// every few seconds in every process; the claim's SKIP LOCKED lets them share the work.
import type { MessagingContext } from '@/messaging/context';
import { sendDueScheduled } from '@/messaging/send-due-scheduled';
import { logger } from '@/platform/logger';
import { startPeriodicJob, type PeriodicJob } from './periodic-job';

export function startScheduledSend(
  ctx: MessagingContext,
  opts: {
    everyMs: number;
    /** Rows one pass claims, and how old a claim must be to be a dead process's (tests shorten it). */
    claim?: { limit?: number; staleClaimMs?: number };
  },
): PeriodicJob {
  return startPeriodicJob({
    name: 'scheduled-send',
    firstRunMs: Math.min(opts.everyMs, 5_000),
    everyMs: opts.everyMs,
    run: async () => {
      const { sent, failed } = await sendDueScheduled(ctx, opts.claim);
      if (sent || failed) logger().info({ sent, failed }, 'scheduled messages sent');
    },
  });
}
