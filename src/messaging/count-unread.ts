// The caller's unread totals: messages, and threads with at least one, over the threads they are in
// (not left). By default, the inbox's figure: muted and archived threads do not count. The
// dashboard's figure counts every thread. Each thread's count is unread.ts's correlated count
// (O(unread)), summed over the threads whose last message is past the read pointer. Realtime asks
// for both figures of everyone it notifies at once (countUnreadTotalsForUsers), in one query.
import { and, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '@/db/client';
import { messageParticipants, messageThreads } from '@/db/schema';
import { unreadCountSql } from './unread';

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

export async function countUnreadTotals(db: Db, opts: TCountUnreadOptions): Promise<TUnreadTotals> {
  const perThread = threadsWithUnread(
    db,
    eq(messageParticipants.userId, opts.userId),
    opts.includeMutedAndArchived ? undefined : inInbox(),
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

/**
 * Both figures (the inbox's and the dashboard's) for each of these users, in one query. Every
 * requested user is in the map, with zeros when nothing is unread.
 */
export async function countUnreadTotalsForUsers(
  db: Db,
  opts: { userIds: string[] },
): Promise<Map<string, { inbox: TUnreadTotals; all: TUnreadTotals }>> {
  const none = (): TUnreadTotals => ({ unreadMessages: 0, unreadThreads: 0 });
  const totals = new Map(opts.userIds.map((id) => [id, { inbox: none(), all: none() }]));
  if (opts.userIds.length === 0) return totals;
  const perThread = threadsWithUnread(db, inArray(messageParticipants.userId, opts.userIds));
  // OFFSET 0: as in countUnreadTotals, so each thread's count runs once for all four aggregates.
  const rows = await queryRows<{
    user_id: string;
    all_messages: string | number;
    all_threads: string | number;
    inbox_messages: string | number;
    inbox_threads: string | number;
  }>(
    db,
    sql`select per_thread.user_id,
        coalesce(sum(per_thread.n), 0) as all_messages,
        count(*) filter (where per_thread.n > 0) as all_threads,
        coalesce(sum(per_thread.n) filter (where per_thread.in_inbox), 0) as inbox_messages,
        count(*) filter (where per_thread.n > 0 and per_thread.in_inbox) as inbox_threads
      from (${perThread} offset 0) per_thread
      group by per_thread.user_id`,
  );
  for (const r of rows) {
    totals.set(r.user_id, {
      inbox: { unreadMessages: Number(r.inbox_messages), unreadThreads: Number(r.inbox_threads) },
      all: { unreadMessages: Number(r.all_messages), unreadThreads: Number(r.all_threads) },
    });
  }
  return totals;
}

/** The threads counted in the inbox's figure: neither muted nor archived by the participant. */
const inInbox = () => and(eq(messageParticipants.muted, false), isNull(messageParticipants.archivedAt));

/** Per participant row matching `where`: its user, whether the inbox counts it, and its unread count. */
function threadsWithUnread(db: Db, ...where: Array<SQL | undefined>) {
  const me = messageParticipants;
  const t = messageThreads;
  return (
    db
      .select({
        userId: me.userId,
        inInbox: sql<boolean>`${inInbox()}`.as('in_inbox'),
        n: unreadCountSql(me.threadId, me.userId, me.lastReadSeq).as('n'),
      })
      .from(me)
      // Joined so that drizzle qualifies the participant's columns: inside the correlated count a
      // bare thread_id would mean the message's own.
      .innerJoin(t, eq(t.id, me.threadId))
      .where(
        and(
          isNull(me.leftAt),
          // A sum over every thread would walk them all; only these can have anything unread.
          gt(t.lastMessageSeq, me.lastReadSeq),
          ...where,
        ),
      )
  );
}
