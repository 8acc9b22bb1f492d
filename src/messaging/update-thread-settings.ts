// A participant's own settings for a thread (mute, archive), and the creator's rename. Archive is
// per participant: it hides the thread from that user's default list until a new message arrives.
// The guide's DELETE on a thread is this, with archived: true, for the caller only.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction } from '@/db/client';
import { messageParticipants, messageThreads } from '@/db/schema';
import { parseInput } from '@/platform/errors';
import { domainError } from './errors';
import { publish, type MessagingContext } from './context';
import { toThreadRef, type TThreadSummary } from './dto';
import { validText } from './ids';
import { MAX_TITLE_CHARS } from './limits';
import { listThreads } from './list-threads';
import { activeParticipantIds } from './participants';
import { canRename } from './policies';
import { verifyMessageAccess } from './verify-message-access';

export const ZUpdateThreadSettingsInput = z
  .object({
    muted: z.boolean().optional(),
    archived: z.boolean().optional(),
    title: validText(
      z
        .string()
        .trim()
        .min(1, 'A title cannot be empty.')
        .max(MAX_TITLE_CHARS, `At most ${MAX_TITLE_CHARS} characters.`),
    ).optional(),
  })
  .refine((v) => v.muted !== undefined || v.archived !== undefined || v.title !== undefined, {
    message: 'Send at least one of muted, archived or title.',
    path: ['_'],
  });
export type TUpdateThreadSettingsInput = z.infer<typeof ZUpdateThreadSettingsInput>;

export async function updateThreadSettings(
  ctx: MessagingContext,
  { userId, threadId, input }: { userId: string; threadId: string; input: TUpdateThreadSettingsInput },
): Promise<TThreadSummary> {
  const settings = parseInput(ZUpdateThreadSettingsInput, input);
  const access = await verifyMessageAccess(ctx.db, { userId, threadId });
  if (settings.title !== undefined && !canRename(access.thread, access.actor)) {
    throw domainError('NOT_THREAD_CREATOR', {
      message:
        access.thread.type === 'DIRECT'
          ? 'Direct conversations are named after the other person and cannot be renamed.'
          : undefined,
    });
  }
  const renamed = await inTransaction(ctx.db, async (tx) => {
    if (settings.muted !== undefined || settings.archived !== undefined) {
      await tx
        .update(messageParticipants)
        .set({
          ...(settings.muted !== undefined ? { muted: settings.muted } : {}),
          ...(settings.archived !== undefined
            ? {
                archivedAt: settings.archived
                  ? sql`coalesce(${messageParticipants.archivedAt}, clock_timestamp())`
                  : null,
              }
            : {}),
        })
        .where(and(eq(messageParticipants.threadId, threadId), eq(messageParticipants.userId, userId)));
    }
    if (settings.title === undefined || settings.title === access.thread.title) return null;
    const [thread] = await tx
      .update(messageThreads)
      .set({ title: settings.title })
      .where(eq(messageThreads.id, threadId))
      .returning();
    return thread ?? null;
  });
  const { threads } = await listThreads(ctx, { userId, threadIds: [threadId], limit: 1 });
  const summary = threads[0];
  if (!summary) throw domainError('THREAD_NOT_FOUND');
  // A rename concerns everyone; mute and archive only the caller's own devices.
  publish(ctx, {
    type: 'thread.updated',
    threadId,
    participantIds: renamed ? await activeParticipantIds(ctx.db, threadId) : [userId],
    thread: toThreadRef(renamed ?? access.thread),
  });
  return summary;
}
