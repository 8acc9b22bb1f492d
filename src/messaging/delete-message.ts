// Deleting is a soft delete: deletedAt is set and every response shows the message without its
// content. Authors delete their own messages; a primary instructor may delete any message in their
// class's threads. Deleting twice is harmless and returns the same tombstone.
import { eq, sql } from 'drizzle-orm';
import { messages } from '@/db/schema';
import { AppError } from '@/platform/errors';
import { publish, type MessagingContext } from './context';
import { toMessageView, type TMessageView } from './dto';
import { activeParticipantIds } from './participants';
import { canDeleteMessage } from './policies';
import { verifyMessageVisible } from './verify-message-access';

export async function deleteMessage(
  ctx: MessagingContext,
  { actorId, messageId }: { actorId: string; messageId: string },
): Promise<TMessageView> {
  const access = await verifyMessageVisible(ctx.db, { userId: actorId, messageId });
  if (!canDeleteMessage(access.thread, access.message, access.actor)) {
    throw new AppError('NOT_AUTHOR', 'You can only delete your own messages.', { status: 403 });
  }
  const { author } = access;
  if (access.message.deletedAt) return toMessageView(access.message, author);

  const [deleted] = await ctx.db
    .update(messages)
    .set({ deletedAt: sql`coalesce(${messages.deletedAt}, clock_timestamp())` })
    .where(eq(messages.id, messageId))
    .returning();
  if (!deleted) throw new AppError('NOT_FOUND', 'This message does not exist.');
  const message = toMessageView(deleted, author);
  publish(ctx, {
    type: 'message.deleted',
    threadId: deleted.threadId,
    participantIds: await activeParticipantIds(ctx.db, deleted.threadId),
    message,
  });
  return message;
}
