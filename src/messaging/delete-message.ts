// Deleting is a soft delete: deletedAt is set and every response shows the message without its
// content. Authors delete their own messages; a primary instructor may delete any message in their
// class's threads. Deleting twice is harmless and returns the same tombstone.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { messageColumns, messages } from '@/db/schema';

import { domainError } from './errors';
import type { MessagingContext } from './context';
import { toMessageView, type TMessageView } from './dto';
import { changeMessage } from './message-log';
import { canDeleteMessage } from './policies';
import { verifyMessageVisible } from './verify-message-access';

export async function deleteMessage(
  ctx: MessagingContext,
  { userId, messageId }: { userId: string; messageId: string },
): Promise<TMessageView> {
  const access = await verifyMessageVisible(ctx.db, { userId, messageId });
  if (!canDeleteMessage(access.thread, access.message, access.actor)) {
    throw domainError('NOT_AUTHOR', { message: 'You can only delete your own messages.' });
  }
  const { author } = access;
  if (access.message.deletedAt) return toMessageView(access.message, author);

  // Only the first delete changes the row and appends to the change feed; a racing second one
  // finds it already deleted and returns the tombstone.
  const message = await changeMessage(ctx, {
    kind: 'deleted',
    author,
    write: async (tx) =>
      (
        await tx
          .update(messages)
          .set({ deletedAt: sql`clock_timestamp()`, version: sql`${messages.version} + 1` })
          .where(and(eq(messages.id, messageId), isNull(messages.deletedAt)))
          .returning(messageColumns)
      )[0],
  });
  if (!message) {
    const [current] = await ctx.db.select(messageColumns).from(messages).where(eq(messages.id, messageId));
    if (!current) throw domainError('MESSAGE_NOT_FOUND');
    return toMessageView(current, author);
  }
  return message;
}
