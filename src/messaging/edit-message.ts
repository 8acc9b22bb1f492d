// Authors edit their own messages; the stored content changes and editedAt is set. The thread's
// message counter does not move, so an edit never makes a thread unread; the change feed does.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { messages } from '@/db/schema';
import { AppError, parseInput } from '@/platform/errors';
import { publish, type MessagingContext } from './context';
import { toMessageView, type TMessageView } from './dto';
import { ZContent } from './ids';
import { appendMessageEvent } from './message-log';
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

  const changed = await ctx.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [updated] = await tx
      .update(messages)
      .set({ content, editedAt: sql`clock_timestamp()` })
      // Guarded so an edit racing a delete cannot bring content back.
      .where(sql`${messages.id} = ${messageId} and ${messages.deletedAt} is null`)
      .returning();
    if (!updated) return null;
    const participantIds = await activeParticipantIds(tx, updated.threadId);
    const position = await appendMessageEvent(tx, {
      threadId: updated.threadId,
      messageId,
      kind: 'updated',
    });
    return { updated, participantIds, position };
  });
  if (!changed) {
    throw new AppError('MESSAGE_DELETED', 'This message was deleted and can no longer be edited.', {
      status: 409,
    });
  }
  const message = toMessageView(changed.updated, access.author);
  publish(ctx, {
    type: 'message.updated',
    threadId: message.threadId,
    participantIds: changed.participantIds,
    position: changed.position,
    message,
  });
  return message;
}
