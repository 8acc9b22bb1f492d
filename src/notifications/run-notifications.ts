// The notification work as job handlers: what a worker (src/jobs/worker.ts) runs for the queues
// notify.email and notify.push. A flush that has more to send later asks to run again then.
import type { ClaimedJob } from '@/jobs/queue';
import type { JobHandler } from '@/jobs/worker';
import { EMAIL_QUEUE, PUSH_QUEUE, type NotificationsContext } from './context';
import { flushEmail } from './flush-email';
import { flushPush } from './flush-push';

function userOf(job: ClaimedJob): string {
  const userId = (job.payload as { userId?: unknown } | null)?.userId;
  if (typeof userId !== 'string') throw new Error(`job ${job.id} has no userId`);
  return userId;
}

export function notificationHandlers(ctx: NotificationsContext): Record<string, JobHandler> {
  return {
    [EMAIL_QUEUE]: async (job) => {
      const { runAgainAt } = await flushEmail(ctx, { userId: userOf(job) });
      return runAgainAt ? { runAgainAt } : undefined;
    },
    [PUSH_QUEUE]: async (job) => {
      const { runAgainAt } = await flushPush(ctx, { userId: userOf(job) });
      return runAgainAt ? { runAgainAt } : undefined;
    },
  };
}
