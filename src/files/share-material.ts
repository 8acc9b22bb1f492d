// "Share with a class": files an instructor uploaded are posted in the class's materials
// announcement (one per class and instructor, titled MATERIALS_THREAD_TITLE, started on the first
// share), through the same send as any message, so students get it live and in their Materials.
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { messageThreads } from '@/db/schema';
import { createThread } from '@/messaging/create-thread';
import type { TMessageView } from '@/messaging/dto';
import { ZId, ZMessageText } from '@/messaging/ids';
import { sendMessage, ZAttachmentIds } from '@/messaging/send-message';
import { parseInput } from '@/platform/errors';
import type { FilesContext } from './context';

export const MATERIALS_THREAD_TITLE = 'Class materials';

export const ZShareMaterialInput = z.object({
  classId: ZId,
  attachmentIds: ZAttachmentIds.min(1, 'Choose a file to share.'),
  note: ZMessageText.optional(),
});
export type TShareMaterialInput = z.infer<typeof ZShareMaterialInput>;

export async function shareMaterial(
  ctx: FilesContext,
  { userId, input }: { userId: string; input: TShareMaterialInput },
): Promise<{ threadId: string; message: TMessageView }> {
  const { classId, attachmentIds, note } = parseInput(ZShareMaterialInput, input);
  const [existing] = await ctx.db
    .select({ id: messageThreads.id })
    .from(messageThreads)
    .where(
      and(
        eq(messageThreads.classId, classId),
        eq(messageThreads.createdById, userId),
        eq(messageThreads.type, 'CLASS'),
        eq(messageThreads.studentsCanReply, false),
        eq(messageThreads.title, MATERIALS_THREAD_TITLE),
      ),
    )
    .orderBy(desc(messageThreads.createdAt))
    .limit(1);
  // createThread checks that the caller is this class's primary instructor (404/403 otherwise).
  const threadId =
    existing?.id ??
    (
      await createThread(ctx, {
        userId,
        input: {
          type: 'CLASS',
          classId,
          kind: 'announcement',
          title: MATERIALS_THREAD_TITLE,
          content: 'Files shared with the class appear here and on the Materials page.',
        },
      })
    ).thread.id;
  const { message } = await sendMessage(ctx, { userId, threadId, content: note ?? '', attachmentIds });
  return { threadId, message };
}
