// Read state. Each participant has a read pointer (last_read_seq): everything up to it is read,
// and the unread count is the live messages from others after it, capped (count-unread.ts). Marking one message read also writes its receipt row. The pointer
// never moves backwards, so reading an old message never resurrects unread ones.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction } from '@/db/client';
import { messageParticipants, messageReadReceipts, messages } from '@/db/schema';
import { AppError } from '@/platform/errors';
import { domainError } from './errors';
import { publish, type MessagingContext } from './context';
import { iso, ZDate } from './dto';
import { ZId } from './ids';
import { activeParticipantIds } from './participants';
import { countUnread, UNREAD_COUNT_CAP } from './count-unread';
import { verifyMessageAccess, verifyMessageVisible, type TThreadAccess } from './verify-message-access';

type TParticipantRow = TThreadAccess['participant'];

export const ZReadState = z
  .object({
    threadId: z.string(),
    lastReadSeq: z.number().int(),
    lastReadMessageId: z.string().nullable(),
    readAt: ZDate,
    unreadCount: z
      .number()
      .int()
      .describe(`What is still unread, counted up to ${UNREAD_COUNT_CAP} (that many or more)`),
  })
  .meta({ id: 'ReadState' });
export type TReadState = z.infer<typeof ZReadState>;

/** Marks one message read: a receipt row, and the pointer moved up to it if it was behind. */
export async function markMessageRead(
  ctx: MessagingContext,
  { userId, messageId }: { userId: string; messageId: string },
): Promise<TReadState> {
  const { message, participant } = await verifyMessageVisible(ctx.db, { userId, messageId });
  return moveReadPointer(ctx, participant, {
    userId,
    threadId: message.threadId,
    seq: message.seq,
    messageId,
    receipt: true,
  });
}

export const ZMarkThreadReadInput = z.object({
  /** Read up to and including this message; omitted: everything so far. */
  upToMessageId: ZId.optional(),
});
export type TMarkThreadReadInput = z.infer<typeof ZMarkThreadReadInput>;

export async function markThreadRead(
  ctx: MessagingContext,
  { userId, threadId, input = {} }: { userId: string; threadId: string; input?: TMarkThreadReadInput },
): Promise<TReadState> {
  const { thread, participant } = await verifyMessageAccess(ctx.db, { userId, threadId });
  let target: { seq: number; id: string | null } = { seq: thread.lastMessageSeq, id: null };
  if (input.upToMessageId) {
    const [m] = await ctx.db
      .select({ seq: messages.seq, id: messages.id })
      .from(messages)
      .where(and(eq(messages.id, input.upToMessageId), eq(messages.threadId, threadId)));
    if (!m) {
      throw new AppError('VALIDATION_FAILED', 'That message is not in this conversation.', {
        fields: { upToMessageId: ['Not a message of this conversation.'] },
      });
    }
    target = m;
  } else if (thread.lastMessageSeq > 0) {
    const [m] = await ctx.db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.threadId, threadId), eq(messages.seq, thread.lastMessageSeq)));
    target = { seq: thread.lastMessageSeq, id: m?.id ?? null };
  }
  return moveReadPointer(ctx, participant, {
    userId,
    threadId,
    seq: target.seq,
    messageId: target.id,
    receipt: false,
  });
}

/**
 * `before` is the caller's participant row as the access check read it: when the pointer does not
 * move, it is the answer, unless a concurrent read moved the pointer past it in the meantime.
 */
async function moveReadPointer(
  ctx: MessagingContext,
  before: TParticipantRow,
  opts: { userId: string; threadId: string; seq: number; messageId: string | null; receipt: boolean },
): Promise<TReadState> {
  const { moved, state } = await inTransaction(ctx.db, async (tx) => {
    if (opts.receipt && opts.messageId) {
      await tx
        .insert(messageReadReceipts)
        .values({ messageId: opts.messageId, userId: opts.userId })
        .onConflictDoNothing({ target: [messageReadReceipts.messageId, messageReadReceipts.userId] });
    }
    const mine = and(
      eq(messageParticipants.threadId, opts.threadId),
      eq(messageParticipants.userId, opts.userId),
    );
    const [advanced] = await tx
      .update(messageParticipants)
      .set({
        lastReadSeq: opts.seq,
        lastReadMessageId: opts.messageId,
        lastReadAt: sql`clock_timestamp()`,
        lastSeenAt: sql`clock_timestamp()`,
      })
      // Only forwards: a concurrent read of a later message wins.
      .where(and(mine, sql`${messageParticipants.lastReadSeq} < ${opts.seq}`))
      .returning();
    if (advanced) {
      // Announcements keep a receipt per message when the pointer first passes it: the analytics'
      // "read within 24 h" needs when each was read, which the pointer's one timestamp cannot say.
      // Few messages and a thread lookup by key: a no-op for every other kind of thread.
      await tx.execute(sql`insert into ${messageReadReceipts} (message_id, user_id, read_at)
        select m.id, ${opts.userId}, clock_timestamp() from ${messages} m
        join message_threads t on t.id = m.thread_id and t.type = 'CLASS' and not t.students_can_reply
        where m.thread_id = ${opts.threadId} and m.seq > ${before.lastReadSeq} and m.seq <= ${opts.seq}
          and m.sender_id <> ${opts.userId}
        on conflict (message_id, user_id) do nothing`);
    }
    const current =
      advanced ??
      (before.lastReadSeq >= opts.seq
        ? before
        : (await tx.select().from(messageParticipants).where(mine).limit(1))[0]);
    if (!current) throw domainError('THREAD_NOT_FOUND');
    return {
      moved: !!advanced,
      state: {
        threadId: opts.threadId,
        lastReadSeq: current.lastReadSeq,
        lastReadMessageId: current.lastReadMessageId,
        readAt: iso(current.lastReadAt ?? current.lastSeenAt),
        unreadCount: await countUnread(tx, opts.threadId, opts.userId, current.lastReadSeq),
      },
    };
  });
  if (moved) {
    publish(ctx, {
      type: 'read.updated',
      threadId: opts.threadId,
      participantIds: await activeParticipantIds(ctx.db, opts.threadId),
      userId: opts.userId,
      lastReadSeq: state.lastReadSeq,
      lastReadMessageId: state.lastReadMessageId,
      readAt: state.readAt,
    });
  }
  return state;
}
