// "Send individually": one action that puts the same text into each recipient's own DIRECT thread
// (Canvas's "send an individual message to each recipient"). The recipients are fixed when the
// batch is first stored (explicit students, a whole class, or the non-readers of an announcement:
// a nudge); each is then sent through createThread with a key derived from the batch and the
// recipient, so a retry of the request, or a crash half-way, never sends anyone a second copy. The
// send limit counts the batch as one send; the recipients are capped. Someone who is no longer a
// student of the sender's is skipped, with the reason kept on the batch.
// Files: the batch holds the sender's uploads (message-attachments.ts), and each recipient's message
// gets its own copy of their rows, written in that send's transaction.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction, type Db } from '@/db/client';
import {
  classEnrollments,
  classInstructors,
  messageBatchRecipients,
  messageBatches,
  messageParticipants,
  messageThreads,
} from '@/db/schema';
import { env } from '@/platform/env';
import { AppError, parseInput } from '@/platform/errors';
import type { MessagingContext } from './context';
import { createThread } from './create-thread';
import { domainError } from './errors';
import { ZClientMessageId, ZContent, ZId } from './ids';
import { MAX_BATCH_RECIPIENTS } from './limits';
import { copyBatchUploads, holdUploadsForBatch } from './message-attachments';
import { enforceSendRate, ZAttachmentIds } from './send-message';
import { getBatchRollup, type TBatchRollup } from './batch-rollup';

export { MAX_BATCH_RECIPIENTS };

export const ZSendIndividuallyInput = z
  .object({
    content: ZContent,
    /**
     * Your own uploads (POST …/attachments) not yet sent, as in a normal send: every recipient's
     * message gets them, each its own attachment over the same stored bytes.
     */
    attachmentIds: ZAttachmentIds.optional(),
    /** The request's idempotency key: a retry with it returns (and completes) the same batch. */
    clientBatchId: ZClientMessageId,
    recipientIds: z.array(ZId).max(MAX_BATCH_RECIPIENTS).optional(),
    /** Every student currently enrolled in this class of yours. */
    classId: ZId.optional(),
    /** A nudge: the students of this announcement (a CLASS thread of yours) who have not read it. */
    nonReadersOf: ZId.optional(),
  })
  .refine((b) => (b.recipientIds?.length ?? 0) > 0 || b.classId || b.nonReadersOf, {
    message: 'Choose students, a class, or an announcement whose non-readers to remind.',
    path: ['recipientIds'],
  });
export type TSendIndividuallyInput = z.input<typeof ZSendIndividuallyInput>;

export const SKIP_REASONS = {
  NOT_YOUR_STUDENT: 'No longer enrolled in a class you teach.',
} as const;

export async function sendIndividually(
  ctx: MessagingContext,
  { userId, input }: { userId: string; input: TSendIndividuallyInput },
): Promise<{ rollup: TBatchRollup; created: boolean }> {
  const parsed = parseInput(ZSendIndividuallyInput, input);
  let batch = await findBatch(ctx.db, userId, parsed.clientBatchId);
  const created = !batch;
  if (!batch) {
    const recipients = await resolveRecipients(ctx.db, userId, parsed);
    if (recipients.length === 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        'Nobody to send to: every student chosen has read it or left.',
        {
          fields: { recipientIds: ['Nobody to send to.'] },
        },
      );
    }
    if (recipients.length > MAX_BATCH_RECIPIENTS) {
      throw new AppError('VALIDATION_FAILED', `At most ${MAX_BATCH_RECIPIENTS} recipients in one send.`, {
        fields: { recipientIds: [`At most ${MAX_BATCH_RECIPIENTS} recipients.`] },
      });
    }
    // One action, one send against the limit.
    await enforceSendRate(ctx, userId);
    batch = await storeBatch(ctx.db, userId, parsed, recipients);
  }
  await deliverPending(ctx, batch);
  return { rollup: await getBatchRollup(ctx, { userId, batchId: batch.id }), created };
}

interface TBatchRow {
  id: string;
  senderId: string;
  content: string;
  nudgeThreadId: string | null;
  attachmentIds: string[];
}

async function findBatch(db: Db, senderId: string, key: string): Promise<TBatchRow | undefined> {
  const [row] = await db
    .select({
      id: messageBatches.id,
      senderId: messageBatches.senderId,
      content: messageBatches.content,
      nudgeThreadId: messageBatches.nudgeThreadId,
      attachmentIds: messageBatches.attachmentIds,
    })
    .from(messageBatches)
    .where(and(eq(messageBatches.senderId, senderId), eq(messageBatches.clientBatchId, key)));
  return row;
}

/** The batch and its recipient list in one transaction; a concurrent twin with the same key wins. */
async function storeBatch(
  db: Db,
  senderId: string,
  input: z.output<typeof ZSendIndividuallyInput>,
  recipients: string[],
): Promise<TBatchRow> {
  const stored = await inTransaction(db, async (tx) => {
    const [batch] = await tx
      .insert(messageBatches)
      .values({
        senderId,
        content: input.content,
        clientBatchId: input.clientBatchId,
        nudgeThreadId: input.nonReadersOf ?? null,
        classId: input.classId ?? null,
      })
      .onConflictDoNothing({ target: [messageBatches.senderId, messageBatches.clientBatchId] })
      .returning({
        id: messageBatches.id,
        senderId: messageBatches.senderId,
        content: messageBatches.content,
        nudgeThreadId: messageBatches.nudgeThreadId,
        attachmentIds: messageBatches.attachmentIds,
      });
    if (!batch) return undefined;
    // The files are checked and held in the same transaction: a refusal stores no batch at all.
    batch.attachmentIds = await holdUploadsForBatch(tx, {
      batchId: batch.id,
      senderId,
      uploadIds: input.attachmentIds ?? [],
    });
    if (batch.attachmentIds.length) {
      await tx
        .update(messageBatches)
        .set({ attachmentIds: batch.attachmentIds })
        .where(eq(messageBatches.id, batch.id));
    }
    await tx
      .insert(messageBatchRecipients)
      .values(recipients.map((recipientId) => ({ batchId: batch.id, recipientId })));
    return batch;
  });
  return stored ?? (await findBatch(db, senderId, input.clientBatchId))!;
}

/**
 * Who the batch is for, deduplicated: explicit ids are checked later, one by one (a student who
 * left is skipped with a reason rather than failing the batch); a class must be one the sender
 * teaches; an announcement must be a CLASS thread the sender is in.
 */
async function resolveRecipients(
  db: Db,
  senderId: string,
  input: z.output<typeof ZSendIndividuallyInput>,
): Promise<string[]> {
  const ids = new Set(input.recipientIds ?? []);
  if (input.classId) {
    const [teaches] = await db
      .select({ id: classInstructors.id })
      .from(classInstructors)
      .where(and(eq(classInstructors.classId, input.classId), eq(classInstructors.instructorId, senderId)));
    if (!teaches) throw domainError('CLASS_NOT_FOUND', { fields: { classId: ['Not one of your classes.'] } });
    const enrolled = await db
      .select({ id: classEnrollments.studentId })
      .from(classEnrollments)
      .where(and(eq(classEnrollments.classId, input.classId), isNull(classEnrollments.leftAt)))
      .orderBy(asc(classEnrollments.enrolledAt))
      .limit(MAX_BATCH_RECIPIENTS + 1);
    for (const e of enrolled) ids.add(e.id);
  }
  if (input.nonReadersOf) for (const id of await nonReaders(db, senderId, input.nonReadersOf)) ids.add(id);
  ids.delete(senderId);
  return [...ids];
}

/**
 * The students of a CLASS thread the caller teaches who have not read its latest message: current
 * participants whose read pointer is behind, and who are still enrolled.
 */
export async function nonReaders(db: Db, userId: string, threadId: string): Promise<string[]> {
  const [thread] = await db
    .select({ classId: messageThreads.classId, lastSeq: messageThreads.lastMessageSeq })
    .from(messageThreads)
    .innerJoin(
      classInstructors,
      and(eq(classInstructors.classId, messageThreads.classId), eq(classInstructors.instructorId, userId)),
    )
    .where(and(eq(messageThreads.id, threadId), eq(messageThreads.type, 'CLASS')));
  if (!thread?.classId) {
    throw domainError('THREAD_NOT_FOUND', { fields: { nonReadersOf: ['Not an announcement of yours.'] } });
  }
  const rows = await db
    .select({ id: messageParticipants.userId })
    .from(messageParticipants)
    .innerJoin(
      classEnrollments,
      and(
        eq(classEnrollments.studentId, messageParticipants.userId),
        eq(classEnrollments.classId, thread.classId),
        isNull(classEnrollments.leftAt),
      ),
    )
    .where(
      and(
        eq(messageParticipants.threadId, threadId),
        isNull(messageParticipants.leftAt),
        sql`${messageParticipants.lastReadSeq} < ${thread.lastSeq}`,
      ),
    )
    .limit(MAX_BATCH_RECIPIENTS + 1);
  return rows.map((r) => r.id);
}

/** The announcement's address, in the student's area, for a nudge's text. */
function withLink(content: string, nudgeThreadId: string | null): string {
  if (!nudgeThreadId) return content;
  const origin = env().APP_URL.replace(/\/+$/, '');
  return `${content}\n\nThe announcement: ${origin}/student/messages?thread=${nudgeThreadId}`;
}

/**
 * Sends to every recipient still pending, one by one. The key `batch.<batch>.<recipient>` makes
 * each send idempotent, so a retry after a crash between a send and its bookkeeping finds the
 * stored message instead of sending again. The policy is createThread's: a recipient who is no
 * longer the sender's student is skipped.
 */
async function deliverPending(ctx: MessagingContext, batch: TBatchRow): Promise<void> {
  const pending = await ctx.db
    .select({ id: messageBatchRecipients.id, recipientId: messageBatchRecipients.recipientId })
    .from(messageBatchRecipients)
    .where(and(eq(messageBatchRecipients.batchId, batch.id), eq(messageBatchRecipients.status, 'pending')));
  // The batch already counted as one send: each message goes without the per-message limit.
  const unlimited: MessagingContext = { ...ctx, rateLimiter: undefined };
  const content = withLink(batch.content, batch.nudgeThreadId);
  for (const r of pending) {
    try {
      const sent = await createThread(unlimited, {
        userId: batch.senderId,
        input: {
          type: 'DIRECT',
          recipientId: r.recipientId,
          content,
          clientMessageId: `batch.${batch.id}.${r.recipientId}`,
        },
        attach: (tx, message) =>
          copyBatchUploads(tx, {
            messageId: message.id,
            batchId: batch.id,
            templateIds: batch.attachmentIds,
            at: message.createdAt,
          }),
      });
      await ctx.db
        .update(messageBatchRecipients)
        .set({ status: 'sent', threadId: sent.thread.id, messageId: sent.message.id })
        .where(eq(messageBatchRecipients.id, r.id));
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'RECIPIENT_NOT_ALLOWED') throw err;
      await ctx.db
        .update(messageBatchRecipients)
        .set({ status: 'skipped', skipReason: SKIP_REASONS.NOT_YOUR_STUDENT })
        .where(eq(messageBatchRecipients.id, r.id));
    }
  }
}
