// Deleting is a soft delete: deletedAt is set and every response shows the message without its
// content. Authors delete their own messages; a primary instructor may delete any message in their
// class's threads. Deleting twice is harmless and returns the same tombstone.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { messages } from '@/db/schema';
import { AppError } from '@/platform/errors';
import { publish, type MessagingContext } from './context';
import { toMessageView, type TMessageView } from './dto';
import { appendMessageEvent } from './message-log';
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

  const changed = await ctx.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    // Only the first delete changes the row and appends to the change feed; a racing second one
    // finds it already deleted and returns the tombstone.
    const [deleted] = await tx
      .update(messages)
      .set({ deletedAt: sql`clock_timestamp()` })
      .where(and(eq(messages.id, messageId), isNull(messages.deletedAt)))
      .returning();
    if (!deleted) return null;
    const participantIds = await activeParticipantIds(tx, deleted.threadId);
    const position = await appendMessageEvent(tx, {
      threadId: deleted.threadId,
      messageId,
      kind: 'deleted',
    });
    return { deleted, participantIds, position };
  });
  if (!changed) {
    const [current] = await ctx.db.select().from(messages).where(eq(messages.id, messageId));
    if (!current) throw new AppError('NOT_FOUND', 'This message does not exist.');
    return toMessageView(current, author);
  }
  const message = toMessageView(changed.deleted, author);
  publish(ctx, {
    type: 'message.deleted',
    threadId: message.threadId,
    participantIds: changed.participantIds,
    position: changed.position,
    message,
  });
  return message;
}
