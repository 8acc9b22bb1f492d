// "Mark all as read", and its undo. Marking moves every read pointer of the caller that is behind
// its thread's last message up to it, in one statement, and answers with where each pointer was,
// which is what Undo sends back. Undo moves a pointer back only if it is still where the marking
// left it: a thread read (or written to by the caller) since keeps its newer pointer.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '@/db/client';
import { parseInput } from '@/platform/errors';
import { messageParticipants } from '@/db/schema';
import type { MessagingContext } from './context';
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
  }>(
    ctx.db,
    sql`update ${messageParticipants} p set
        last_read_seq = t.last_message_seq,
        last_read_message_id = (select m.id from messages m where m.thread_id = t.id and m.seq = t.last_message_seq),
        last_read_at = clock_timestamp(),
        unread_mentions = 0
      from message_threads t, (
        select id, last_read_seq from ${messageParticipants}
        where user_id = ${userId} and left_at is null for update
      ) before
      where p.id = before.id and t.id = p.thread_id and p.last_read_seq < t.last_message_seq
      returning p.thread_id, before.last_read_seq as before_seq, p.last_read_seq as after_seq`,
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
  const rows = await queryRows<{ id: string }>(
    ctx.db,
    sql`update ${messageParticipants} p set
        last_read_seq = u.before_seq,
        last_read_message_id = (select m.id from messages m where m.thread_id = p.thread_id and m.seq = u.before_seq)
      from (values ${values}) as u(thread_id, before_seq, marked_seq)
      where p.user_id = ${userId} and p.thread_id = u.thread_id and p.last_read_seq = u.marked_seq
        and u.before_seq < u.marked_seq
      returning p.id`,
  );
  return { restored: rows.length };
}
