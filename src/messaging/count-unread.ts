// What "unread" means, in one place: the live messages from others after a participant's read
// pointer, counted up to UNREAD_COUNT_CAP. The count is arithmetic on the thread's gapless message
// numbers, less the few of the reader's own and deleted messages after the pointer (unreadCountSql),
// so it costs the same at 10 or 200,000 behind: never O(history) nor O(how far behind).
// The caller's totals sum the capped counts over the threads whose last message is past the pointer
// (so a total at or above the cap is a lower bound): by default
// the inbox's figure (muted and archived threads do not count), or every thread (the dashboard's).
// Realtime asks for both figures of everyone it notifies at once (countUnreadTotalsForUsers).
import { and, eq, gt, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '@/db/client';
import { messageParticipants, messageThreads, messages } from '@/db/schema';
import type { MessagingContext } from './context';
import { UNREAD_COUNT_CAP } from './limits';

export { UNREAD_COUNT_CAP };

export const ZUnreadTotals = z
  .object({
    unreadMessages: z
      .number()
      .int()
      .describe(
        `Live messages from others after the read pointers: the sum of each thread's count, which stops at ${UNREAD_COUNT_CAP}, so a figure of ${UNREAD_COUNT_CAP} or more means at least that many`,
      ),
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
  ctx: MessagingContext,
  opts: { userIds: string[] },
): Promise<Map<string, { inbox: TUnreadTotals; all: TUnreadTotals }>> {
  const { db } = ctx;
  const none = (): TUnreadTotals => ({ unreadMessages: 0, unreadThreads: 0 });
  const totals = new Map(opts.userIds.map((id) => [id, { inbox: none(), all: none() }]));
  if (opts.userIds.length === 0) return totals;
  // One array parameter, not an IN list: the statement text stays the same whatever the number of
  // users, so it is one prepared plan (db/prepared-statements.ts), not one per list length.
  const perThread = threadsWithUnread(
    db,
    sql`${messageParticipants.userId} = any(${sql.param(opts.userIds)}::text[])`,
  );
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
        n: unreadCountSql(me.threadId, me.userId, me.lastReadSeq, t.lastMessageSeq).as('n'),
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

/**
 * The capped count, in constant time however far behind the reader is. A thread's messages are
 * numbered 1, 2, 3, … with no gaps (seq comes from the thread's counter in the inserting statement,
 * and messages are only ever removed with their whole thread), so the messages after the pointer
 * are `lastMessageSeq − lastReadSeq`; the count is that, less the reader's own and the deleted
 * messages among them, each read from its own index (idx_messages_thread_sender_seq and the partial
 * idx_messages_thread_deleted_seq). Both are few: a send moves its sender's pointer past it, and
 * deletions are rare. Arguments are columns of a joined (so qualified) participant row and its
 * thread, or bound values.
 */
export function unreadCountSql(
  threadId: SQLWrapper | string,
  userId: SQLWrapper | string,
  lastReadSeq: SQLWrapper | number,
  lastMessageSeq: SQLWrapper,
): SQL<number> {
  return sql<number>`least(${sql.raw(String(UNREAD_COUNT_CAP))}, greatest(0,
    ${lastMessageSeq} - ${lastReadSeq}
    - (select count(*) from ${messages} own
        where own.thread_id = ${threadId} and own.sender_id = ${userId} and own.seq > ${lastReadSeq}
          and own.deleted_at is null)
    - (select count(*) from ${messages} gone
        where gone.thread_id = ${threadId} and gone.seq > ${lastReadSeq} and gone.deleted_at is not null)
  ))::int`.mapWith(Number);
}

/** Whether anything is unread: the first unread message, not a count (the list's unread filter). */
export function hasUnreadSql(
  threadId: SQLWrapper | string,
  userId: SQLWrapper | string,
  lastReadSeq: SQLWrapper | number,
): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${messages} um
    where um.thread_id = ${threadId} and um.seq > ${lastReadSeq}
      and um.sender_id <> ${userId} and um.deleted_at is null)`;
}

export async function countUnread(
  db: Db,
  threadId: string,
  userId: string,
  afterSeq: number,
): Promise<number> {
  const t = messageThreads;
  const [row] = await queryRows<{ n: string | number }>(
    db,
    sql`select ${unreadCountSql(threadId, userId, afterSeq, t.lastMessageSeq)} as n from ${t} where ${t.id} = ${threadId}`,
  );
  return Number(row?.n ?? 0);
}
