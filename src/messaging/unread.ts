// What "unread" means, in one place: the live messages from others after a participant's read
// pointer. Always a correlated count on uq_messages_thread_seq (thread_id, seq > pointer), so it
// costs O(unread) and never O(history): planners turn an EXISTS or a join on `seq > pointer` into
// a scan of the whole thread, which at a million messages is a hundred times slower.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { messages } from '@/db/schema';

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
