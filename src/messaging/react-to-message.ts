// Reactions from the fixed set (👍 ✅ ❤️ 😂 ❓): one per user per emoji per message, given or taken
// back by anyone who can see the message. A change is a change of the message: its version moves
// and it goes through the change feed like an edit, so it is live on every socket and replayed on
// resume, in order with the thread's other changes. Giving one already given changes nothing.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { messageColumns, messageReactions, messages } from '@/db/schema';
import { AppError } from '@/platform/errors';
import type { MessagingContext } from './context';
import { toMessageView, type TMessageView } from './dto';
import { domainError } from './errors';
import { readAttachments } from './message-attachments';
import { readExtras, REACTION_EMOJI, type TReactionEmoji } from './message-extras';
import { changeMessage } from './message-log';
import { verifyMessageVisible } from './verify-message-access';

export { REACTION_EMOJI };

/** URL-friendly names, for clients that would rather not put an emoji in a path. */
const NAMES: Record<string, TReactionEmoji> = {
  thumbsup: '👍',
  check: '✅',
  heart: '❤️',
  '❤': '❤️',
  joy: '😂',
  question: '❓',
};

/** An emoji of the set, by itself or its name; anything else is a 400 naming the field. */
export const ZReactionEmoji = z
  .string()
  .max(64)
  .transform((v) => {
    // A path segment may arrive still percent-encoded.
    let decoded = v;
    try {
      decoded = decodeURIComponent(v);
    } catch {
      // not encoding: left as it is, and refused below
    }
    return NAMES[decoded] ?? decoded;
  })
  .pipe(z.enum(REACTION_EMOJI, { error: `One of ${REACTION_EMOJI.join(' ')}.` }));

export async function reactToMessage(
  ctx: MessagingContext,
  opts: { userId: string; messageId: string; emoji: string; on: boolean },
): Promise<TMessageView> {
  const parsed = ZReactionEmoji.safeParse(opts.emoji);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `React with one of ${REACTION_EMOJI.join(' ')}.`, {
      fields: { emoji: [`One of ${REACTION_EMOJI.join(' ')}.`] },
    });
  }
  const emoji = parsed.data;
  // Someone else's thread: the message does not exist, as for every other message route.
  const access = await verifyMessageVisible(ctx.db, { userId: opts.userId, messageId: opts.messageId });
  if (access.message.deletedAt) throw domainError('MESSAGE_DELETED');

  const changed = await changeMessage(ctx, {
    kind: 'updated',
    author: access.author,
    write: async (tx) => {
      const mine = and(
        eq(messageReactions.messageId, opts.messageId),
        eq(messageReactions.userId, opts.userId),
        eq(messageReactions.emoji, emoji),
      );
      const touched = opts.on
        ? await tx
            .insert(messageReactions)
            .values({ messageId: opts.messageId, userId: opts.userId, emoji })
            .onConflictDoNothing()
            .returning({ emoji: messageReactions.emoji })
        : await tx.delete(messageReactions).where(mine).returning({ emoji: messageReactions.emoji });
      if (touched.length === 0) return undefined;
      const [row] = await tx
        .update(messages)
        .set({ version: sql`${messages.version} + 1` })
        .where(and(eq(messages.id, opts.messageId)))
        .returning(messageColumns);
      return row;
    },
  });
  if (changed) return changed;
  // Nothing changed (already given, or not there to take back): the message as it stands.
  const [attachments, extras] = await Promise.all([
    readAttachments(ctx.db, opts.messageId),
    readExtras(ctx.db, access.message),
  ]);
  return toMessageView({ ...access.message, attachments, extras }, access.author);
}
