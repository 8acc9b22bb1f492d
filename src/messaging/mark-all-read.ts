// "Mark all as read", and its undo. Marking moves every read pointer of the caller that is behind
// its thread's last message up to it, in one statement, and answers with where each pointer was,
// which is what Undo sends back. Undo moves a pointer back only if it is still where the marking
// left it: a thread read (or written to by the caller) since keeps its newer pointer.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '@/db/client';
import { parseInput } from '@/platform/errors';
import { messageParticipants } from '@/db/schema';
import { publish, type MessagingContext } from './context';
import { parseTextArray } from './message-log';
import { ZId } from './ids';

/** More than this many threads in one undo is not something the UI sends. */
export const MAX_UNDO_THREADS = 2000;

const ZPointer = z.object({
  threadId: ZId,
  /** Where the pointer was before the marking. */
  lastReadSeq: z.number().int().min(0),
  /** Where the marking moved it. */
  markedSeq: z.number().int().min(0),
});

export const ZMarkAllReadResult = z
  .object({
    threads: z.number().int().describe('How many threads had something unread'),
    undo: z.array(ZPointer).describe('Send this back to undo the marking'),
  })
  .meta({ id: 'MarkAllReadResult' });
export type TMarkAllReadResult = z.infer<typeof ZMarkAllReadResult>;

export const ZUndoMarkAllReadInput = z.object({ undo: z.array(ZPointer).max(MAX_UNDO_THREADS) });
export const ZUndoMarkAllReadResult = z
  .object({ restored: z.number().int() })
  .meta({ id: 'UndoMarkAllReadResult' });

export async function markAllRead(
  ctx: MessagingContext,
  { userId }: { userId: string },
): Promise<TMarkAllReadResult> {
  const rows = await queryRows<{
    thread_id: string;
    before_seq: string | number;
    after_seq: string | number;
    message_id: string | null;
  }>(
    ctx.db,
    sql`update ${messageParticipants} p set
        last_read_seq = t.last_message_seq,
        last_read_message_id = (select m.id from messages m where m.thread_id = t.id and m.seq = t.last_message_seq),
        last_read_at = clock_timestamp()
      from message_threads t, (
        select id, last_read_seq from ${messageParticipants}
        where user_id = ${userId} and left_at is null for update
      ) before
      where p.id = before.id and t.id = p.thread_id and p.last_read_seq < t.last_message_seq
      returning p.thread_id, before.last_read_seq as before_seq, p.last_read_seq as after_seq,
        p.last_read_message_id as message_id`,
  );
  await publishReads(
    ctx,
    userId,
    rows.map((r) => ({ threadId: r.thread_id, seq: Number(r.after_seq), messageId: r.message_id })),
  );
  return {
    threads: rows.length,
    undo: rows.map((r) => ({
      threadId: r.thread_id,
      lastReadSeq: Number(r.before_seq),
      markedSeq: Number(r.after_seq),
    })),
  };
}

export async function undoMarkAllRead(
  ctx: MessagingContext,
  { userId, input }: { userId: string; input: z.input<typeof ZUndoMarkAllReadInput> },
): Promise<{ restored: number }> {
  const { undo } = parseInput(ZUndoMarkAllReadInput, input);
  if (undo.length === 0) return { restored: 0 };
  const values = sql.join(
    undo.map((u) => sql`(${u.threadId}::text, ${u.lastReadSeq}::bigint, ${u.markedSeq}::bigint)`),
    sql`, `,
  );
  const rows = await queryRows<{ thread_id: string; seq: string | number; message_id: string | null }>(
    ctx.db,
    sql`update ${messageParticipants} p set
        last_read_seq = u.before_seq,
        last_read_message_id = (select m.id from messages m where m.thread_id = p.thread_id and m.seq = u.before_seq)
      from (values ${values}) as u(thread_id, before_seq, marked_seq)
      where p.user_id = ${userId} and p.thread_id = u.thread_id and p.last_read_seq = u.marked_seq
        and u.before_seq < u.marked_seq
      returning p.thread_id, p.last_read_seq as seq, p.last_read_message_id as message_id`,
  );
  await publishReads(
    ctx,
    userId,
    rows.map((r) => ({ threadId: r.thread_id, seq: Number(r.seq), messageId: r.message_id })),
  );
  return { restored: rows.length };
}

/**
 * After the commit, each moved pointer as the single-thread read announces it: the reader's other
 * tabs update their badges and the thread's others their "seen by". One query for the audiences.
 */
async function publishReads(
  ctx: MessagingContext,
  userId: string,
  moved: Array<{ threadId: string; seq: number; messageId: string | null }>,
): Promise<void> {
  if (moved.length === 0 || !ctx.events) return;
  const audiences = await queryRows<{ thread_id: string; ids: string[] | string }>(
    ctx.db,
    sql`select thread_id, array_agg(user_id) as ids from ${messageParticipants}
      where thread_id in ${moved.map((m) => m.threadId)} and left_at is null group by thread_id`,
  );
  const byThread = new Map(audiences.map((a) => [a.thread_id, parseTextArray(a.ids)]));
  const readAt = new Date().toISOString();
  publish(
    ctx,
    ...moved.map((m) => ({
      type: 'read.updated' as const,
      threadId: m.threadId,
      participantIds: byThread.get(m.threadId) ?? [userId],
      userId,
      lastReadSeq: m.seq,
      lastReadMessageId: m.messageId,
      readAt,
    })),
  );
}
