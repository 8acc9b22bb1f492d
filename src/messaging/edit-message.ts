// Authors edit their own messages; the stored content changes and editedAt is set. The thread's
// message counter does not move, so an edit never makes a thread unread.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { messages } from '@/db/schema';
import { AppError, parseInput } from '@/platform/errors';
import { publish, type MessagingContext } from './context';
import { toMessageView, type TMessageView } from './dto';
import { ZContent } from './ids';
import { canEditMessage } from './policies';
import { activeParticipantIds } from './participants';
import { verifyMessageVisible } from './verify-message-access';

export const ZEditMessageInput = z.object({ content: ZContent });
export type TEditMessageInput = z.infer<typeof ZEditMessageInput>;

export async function editMessage(
  ctx: MessagingContext,
  { actorId, messageId, input }: { actorId: string; messageId: string; input: TEditMessageInput },
): Promise<TMessageView> {
  const { content } = parseInput(ZEditMessageInput, input);
  const access = await verifyMessageVisible(ctx.db, { userId: actorId, messageId });
  if (!canEditMessage(access.message, access.actor)) {
    throw new AppError('NOT_AUTHOR', 'You can only edit your own messages.', { status: 403 });
  }
  if (access.message.deletedAt) {
    throw new AppError('MESSAGE_DELETED', 'This message was deleted and can no longer be edited.', {
      status: 409,
    });
  }
  if (access.message.content === content) return toMessageView(access.message, access.author);

  const [updated] = await ctx.db
    .update(messages)
    .set({ content, editedAt: sql`clock_timestamp()` })
    // Guarded so an edit racing a delete cannot bring content back.
    .where(sql`${messages.id} = ${messageId} and ${messages.deletedAt} is null`)
    .returning();
  if (!updated) {
    throw new AppError('MESSAGE_DELETED', 'This message was deleted and can no longer be edited.', {
      status: 409,
    });
  }
  const message = toMessageView(updated, access.author);
  publish(ctx, {
    type: 'message.updated',
    threadId: updated.threadId,
    participantIds: await activeParticipantIds(ctx.db, updated.threadId),
    message,
  });
  return message;
}
