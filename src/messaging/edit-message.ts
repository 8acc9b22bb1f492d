// Authors edit their own messages; the stored content changes and editedAt is set. The thread's
// message counter does not move, so an edit never makes a thread unread; the change feed does.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { messageColumns, messageVersions, messages } from '@/db/schema';
import { parseInput } from '@/platform/errors';
import { domainError } from './errors';
import type { MessagingContext } from './context';
import { toMessageView, type TMessageView } from './dto';
import { readAttachments } from './message-attachments';
import { readExtras } from './message-extras';
import { ZContent } from './ids';
import { changeMessage } from './message-log';
import { canEditMessage } from './policies';
import { verifyMessageVisible } from './verify-message-access';

export const ZEditMessageInput = z.object({ content: ZContent });
export type TEditMessageInput = z.infer<typeof ZEditMessageInput>;

export async function editMessage(
  ctx: MessagingContext,
  { userId, messageId, input }: { userId: string; messageId: string; input: TEditMessageInput },
): Promise<TMessageView> {
  const { content } = parseInput(ZEditMessageInput, input);
  const access = await verifyMessageVisible(ctx.db, { userId, messageId });
  if (!canEditMessage(access.message, access.actor)) {
    throw domainError('NOT_AUTHOR', { message: 'You can only edit your own messages.' });
  }
  if (access.message.deletedAt) {
    throw domainError('MESSAGE_DELETED');
  }
  if (access.message.content === content) {
    const [attachments, extras] = await Promise.all([
      readAttachments(ctx.db, messageId),
      readExtras(ctx.db, access.message),
    ]);
    return toMessageView({ ...access.message, attachments, extras }, access.author);
  }

  const message = await changeMessage(ctx, {
    kind: 'updated',
    author: access.author,
    write: async (tx) => {
      // The text being replaced is kept, with when it was written, for the message's history.
      await tx.execute(sql`insert into ${messageVersions} (id, message_id, content, written_at)
        select gen_random_uuid()::text, id, content, coalesce(edited_at, created_at) from ${messages}
        where id = ${messageId} and deleted_at is null`);
      return (
        (
          await tx
            .update(messages)
            .set({ content, editedAt: sql`clock_timestamp()`, version: sql`${messages.version} + 1` })
            // Guarded so an edit racing a delete cannot bring content back.
            .where(sql`${messages.id} = ${messageId} and ${messages.deletedAt} is null`)
            .returning(messageColumns)
        )[0]
      );
    },
  });
  if (!message) {
    throw domainError('MESSAGE_DELETED');
  }
  return message;
}
