// Replies and @mentions as a send checks and records them. A reply may only point at a message of
// the same thread (anything else is, to the sender, a message that does not exist). Mentions are
// kept to the thread's current participants other than the sender; each is a row, so a
// participant's unread mentions are the rows past their read pointer.
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { messageMentions, messageParticipants, type Message } from '@/db/schema';
import { domainError } from './errors';
import { QUOTE_CHARS, type TReplyQuote } from './message-extras';

/** The quote of the message being replied to, which must be in `threadId`. */
export async function quoteOf(db: Db, threadId: string, messageId: string): Promise<TReplyQuote> {
  const [row] = await queryRows<{ id: string; sender_name: string; excerpt: string | null }>(
    db,
    sql`select m.id, u.name as sender_name,
        case when m.deleted_at is null then left(m.content, ${QUOTE_CHARS}) end as excerpt
      from messages m join users u on u.id = m.sender_id
      where m.id = ${messageId} and m.thread_id = ${threadId}`,
  );
  if (!row) {
    throw domainError('MESSAGE_NOT_FOUND', {
      message: 'The message you are replying to is not in this conversation.',
      fields: { replyToId: ['Not a message of this conversation.'] },
    });
  }
  return { id: row.id, senderName: row.sender_name, excerpt: row.excerpt };
}

/** Of the ids a sender mentions, those who are in the thread now (not the sender), sorted. */
export async function mentionable(
  db: Db,
  threadId: string,
  senderId: string,
  ids: string[],
): Promise<string[]> {
  const rows = await db
    .select({ userId: messageParticipants.userId })
    .from(messageParticipants)
    .where(
      and(
        eq(messageParticipants.threadId, threadId),
        inArray(messageParticipants.userId, [...new Set(ids)]),
        ne(messageParticipants.userId, senderId),
        isNull(messageParticipants.leftAt),
      ),
    );
  return rows.map((r) => r.userId).sort();
}

export async function recordMentions(tx: Db, message: Message, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await tx
    .insert(messageMentions)
    .values(
      userIds.map((userId) => ({
        messageId: message.id,
        userId,
        threadId: message.threadId,
        seq: message.seq,
      })),
    )
    .onConflictDoNothing();
}

/** How many unread messages of a thread mention the user: a mark on their unread, not a second count. */
export async function countUnreadMentions(db: Db, userId: string, threadId: string): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from ${messageMentions} mm
      join ${messageParticipants} p on p.thread_id = mm.thread_id and p.user_id = mm.user_id
      where mm.user_id = ${userId} and mm.thread_id = ${threadId} and mm.seq > p.last_read_seq`,
  );
  return Number(row?.n ?? 0);
}
