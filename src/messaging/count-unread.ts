// What "unread" means, in one place: the live messages from others after a participant's read
// pointer. Always a correlated count on uq_messages_thread_seq (thread_id, seq > pointer), so it
// costs O(unread) and never O(history): planners turn an EXISTS or a join on `seq > pointer` into
// a scan of the whole thread, which at a million messages is a hundred times slower.
// The caller's totals sum it over the threads whose last message is past the pointer: by default
// the inbox's figure (muted and archived threads do not count), or every thread (the dashboard's).
import { and, eq, gt, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '@/db/client';
import { messageParticipants, messageThreads, messages } from '@/db/schema';
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

/** Arguments are columns of a joined (so qualified) participant row, or bound values. */
export function unreadCountSql(
  threadId: SQLWrapper | string,
  userId: SQLWrapper | string,
  lastReadSeq: SQLWrapper | number,
): SQL<number> {
  return sql<number>`(select count(*) from ${messages} um
    where um.thread_id = ${threadId} and um.seq > ${lastReadSeq}
      and um.sender_id <> ${userId} and um.deleted_at is null)`.mapWith(Number);
}

export async function countUnread(
  db: Db,
  threadId: string,
  userId: string,
  afterSeq: number,
): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(
    db,
    sql`select ${unreadCountSql(threadId, userId, afterSeq)} as n`,
  );
  return Number(row?.n ?? 0);
}
