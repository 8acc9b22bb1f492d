// The earlier versions of an edited message, oldest first, each with when it was written and when
// it was replaced; the current text closes the list. Visible to the thread's participants (the
// author included), and to no one else: another thread's message does not exist for them. A
// deleted message has no history to show.
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { messageVersions } from '@/db/schema';
import type { MessagingContext } from './context';
import { iso, ZDate } from './dto';
import { verifyMessageVisible } from './verify-message-access';

export const ZMessageHistory = z
  .object({
    messageId: z.string(),
    versions: z
      .array(
        z.object({
          content: z.string(),
          writtenAt: ZDate,
          replacedAt: ZDate.nullable().describe('null for the current text'),
        }),
      )
      .describe('Oldest first; the last is the current text. Empty once the message is deleted'),
  })
  .meta({ id: 'MessageHistory' });
export type TMessageHistory = z.infer<typeof ZMessageHistory>;

export async function getMessageHistory(
  ctx: MessagingContext,
  { userId, messageId }: { userId: string; messageId: string },
): Promise<TMessageHistory> {
  const { message } = await verifyMessageVisible(ctx.db, { userId, messageId });
  if (message.deletedAt) return { messageId, versions: [] };
  const earlier = await ctx.db
    .select({
      content: messageVersions.content,
      writtenAt: messageVersions.writtenAt,
      replacedAt: messageVersions.replacedAt,
    })
    .from(messageVersions)
    .where(eq(messageVersions.messageId, messageId))
    .orderBy(asc(messageVersions.replacedAt), asc(messageVersions.id))
    .limit(200);
  return {
    messageId,
    versions: [
      ...earlier.map((v) => ({
        content: v.content,
        writtenAt: iso(v.writtenAt),
        replacedAt: iso(v.replacedAt),
      })),
      { content: message.content, writtenAt: iso(message.editedAt ?? message.createdAt), replacedAt: null },
    ],
  };
}
