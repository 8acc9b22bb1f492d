// The caller's unread totals: messages, and threads with at least one, over the threads they are in
// (not left). By default, the inbox's figure: muted and archived threads do not count. The
// dashboard's figure counts every thread. Each thread's count is unread.ts's correlated count
// (O(unread)), summed over the threads whose last message is past the read pointer.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '@/db/client';
import { messageParticipants, messageThreads } from '@/db/schema';
import { unreadCountSql } from './unread';
import type { MessagingContext } from './context';

export const ZUnreadTotals = z
  .object({
    unreadMessages: z.number().int().describe('Live messages from others after the read pointers'),
    unreadThreads: z.number().int().describe('Threads with at least one unread message'),
  })
  .meta({ id: 'UnreadTotals' });
export type TUnreadTotals = z.infer<typeof ZUnreadTotals>;

export interface TCountUnreadOptions {
  userId: string;
  /** Count muted and archived threads too (the instructor dashboard's figure). Default false. */
  includeMutedAndArchived?: boolean;
}

export async function countUnreadTotals(
  ctx: MessagingContext,
  opts: TCountUnreadOptions,
): Promise<TUnreadTotals> {
  const { db } = ctx;
  const me = messageParticipants;
  const t = messageThreads;
  const perThread = db
    .select({ n: unreadCountSql(me.threadId, me.userId, me.lastReadSeq).as('n') })
    .from(me)
    // Joined so that drizzle qualifies the participant's columns: inside the correlated count a bare
    // thread_id would mean the message's own.
    .innerJoin(t, eq(t.id, me.threadId))
    .where(
      and(
        eq(me.userId, opts.userId),
        isNull(me.leftAt),
        // A sum over every thread would walk them all; only these can have anything unread.
        gt(t.lastMessageSeq, me.lastReadSeq),
        opts.includeMutedAndArchived ? undefined : and(eq(me.muted, false), isNull(me.archivedAt)),
      ),
    );
  // OFFSET 0 keeps the planner from pulling the subquery up, which would copy the count into each
  // aggregate below and run it twice per thread.
  const [row] = await queryRows<{ messages: string | number; threads: string | number }>(
    db,
    sql`select coalesce(sum(per_thread.n), 0) as messages,
        count(*) filter (where per_thread.n > 0) as threads
      from (${perThread} offset 0) per_thread`,
  );
  return { unreadMessages: Number(row?.messages ?? 0), unreadThreads: Number(row?.threads ?? 0) };
}
