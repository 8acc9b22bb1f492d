// The scheduled-send job: claims due rows and sends them through the ordinary send path. Claiming
// is one statement with FOR UPDATE SKIP LOCKED, so two processes polling at once split the rows and
// never wait on each other; a claimed row is `sending` with the time of the claim. Each send is keyed
// `scheduled.<id>`: a process that dies after sending but before recording it leaves the row
// `sending`, and once the claim is stale another pass claims it again and the send returns the
// message it already stored. So every scheduled message goes out exactly once. The policy is checked
// again by the send itself (the sender must still be in the thread and allowed to post; a student
// who left is not messaged): a refusal ends the row as `failed`, with the reason.
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { scheduledMessages } from '@/db/schema';
import { AppError } from '@/platform/errors';
import { logger } from '@/platform/logger';
import type { MessagingContext } from './context';
import { createThread } from './create-thread';
import { sendMessage } from './send-message';

/** A claim older than this is taken to belong to a process that died. */
export const STALE_CLAIM_MS = 2 * 60_000;

interface Claimed extends Record<string, unknown> {
  id: string;
  sender_id: string;
  thread_id: string | null;
  class_id: string | null;
  title: string | null;
  kind: 'announcement' | 'discussion' | null;
  content: string;
}

export async function sendDueScheduled(
  ctx: MessagingContext,
  opts: { limit?: number; staleClaimMs?: number } = {},
): Promise<{ sent: number; failed: number }> {
  const stale = opts.staleClaimMs ?? STALE_CLAIM_MS;
  const claimed = await queryRows<Claimed>(
    ctx.db,
    sql`update ${scheduledMessages} s set status = 'sending', claimed_at = clock_timestamp(),
        attempts = s.attempts + 1, updated_at = clock_timestamp()
      where s.id in (
        select id from ${scheduledMessages}
        where send_at <= clock_timestamp() and (status = 'scheduled'
          or (status = 'sending' and claimed_at < clock_timestamp() - ${`${stale} milliseconds`}::interval))
        order by send_at, id
        limit ${opts.limit ?? 50}
        for update skip locked
      )
      returning s.id, s.sender_id, s.thread_id, s.class_id, s.title, s.kind, s.content`,
  );
  let sent = 0;
  let failed = 0;
  // The limit was the sender's to spend when they scheduled: a due message is not refused for it.
  const job: MessagingContext = { ...ctx, rateLimiter: undefined };
  for (const row of claimed) {
    const key = `scheduled.${row.id}`;
    try {
      const result = row.thread_id
        ? await sendMessage(job, {
            threadId: row.thread_id,
            userId: row.sender_id,
            content: row.content,
            clientMessageId: key,
          })
        : await createThread(job, {
            userId: row.sender_id,
            input: {
              type: 'CLASS',
              classId: row.class_id!,
              title: row.title!,
              kind: row.kind!,
              content: row.content,
              clientMessageId: key,
            },
          });
      await ctx.db
        .update(scheduledMessages)
        .set({
          status: 'sent',
          messageId: result.message.id,
          sentThreadId: result.message.threadId,
          updatedAt: sql`clock_timestamp()`,
        })
        .where(eq(scheduledMessages.id, row.id));
      sent++;
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) {
        // Left `sending`: a later pass claims it again once the claim is stale.
        logger().warn({ err, scheduledId: row.id }, 'scheduled send failed; will retry');
        continue;
      }
      await ctx.db
        .update(scheduledMessages)
        .set({ status: 'failed', failureReason: err.message, updatedAt: sql`clock_timestamp()` })
        .where(eq(scheduledMessages.id, row.id));
      failed++;
    }
  }
  return { sent, failed };
}
