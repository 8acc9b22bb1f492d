// The roll-up of a "send individually" batch: per recipient, whether it was sent or skipped (and
// why), whether they have read it (their read pointer reached the message) and whether they have
// replied (a later message of theirs in the same DIRECT thread), with the thread to open. Read
// live from the threads, so it moves as students read and answer. Only the sender sees a batch.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '@/db/client';
import { messageBatches } from '@/db/schema';
import type { MessagingContext } from './context';
import { iso, ZDate } from './dto';
import { domainError } from './errors';

export const ZBatchCounts = z.object({
  recipients: z.number().int(),
  sent: z.number().int(),
  skipped: z.number().int(),
  read: z.number().int(),
  replied: z.number().int(),
});

export const ZBatchRecipient = z
  .object({
    recipientId: z.string(),
    name: z.string(),
    status: z.enum(['pending', 'sent', 'skipped']),
    skipReason: z.string().nullable(),
    threadId: z.string().nullable().describe('The DIRECT thread it went to'),
    messageId: z.string().nullable(),
    read: z.boolean(),
    replied: z.boolean(),
  })
  .meta({ id: 'BatchRecipient' });

export const ZBatchSummary = z
  .object({
    id: z.string(),
    content: z.string(),
    createdAt: ZDate,
    nudgeThreadId: z.string().nullable().describe('A nudge: the announcement whose non-readers it reminded'),
    counts: ZBatchCounts,
  })
  .meta({ id: 'BatchSummary' });
export type TBatchSummary = z.infer<typeof ZBatchSummary>;

export const ZBatchRollup = ZBatchSummary.extend({ recipients: z.array(ZBatchRecipient) }).meta({
  id: 'BatchRollup',
});
export type TBatchRollup = z.infer<typeof ZBatchRollup>;

export const ZListBatchesQuery = z.object({
  /** Only the nudges of this announcement. */
  nudgeThreadId: z.string().max(64).optional(),
});

interface RecipientRow extends Record<string, unknown> {
  recipient_id: string;
  name: string;
  status: 'pending' | 'sent' | 'skipped';
  skip_reason: string | null;
  thread_id: string | null;
  message_id: string | null;
  read: boolean;
  replied: boolean;
}

/** Each recipient of the batches named by `where` (over `b`), with read and replied worked out. */
function recipientRows(where: ReturnType<typeof sql>) {
  return sql`select r.batch_id, r.recipient_id, u.name, r.status, r.skip_reason, r.thread_id, r.message_id,
      coalesce(p.last_read_seq >= m.seq, false) as read,
      exists (select 1 from messages a where a.thread_id = r.thread_id and a.sender_id = r.recipient_id
        and a.seq > m.seq and a.deleted_at is null) as replied
    from message_batch_recipients r
    join message_batches b on b.id = r.batch_id
    join users u on u.id = r.recipient_id
    left join messages m on m.id = r.message_id
    left join message_participants p on p.thread_id = r.thread_id and p.user_id = r.recipient_id
    where ${where}`;
}

function countsOf(rows: Array<Pick<RecipientRow, 'status' | 'read' | 'replied'>>) {
  return {
    recipients: rows.length,
    sent: rows.filter((r) => r.status === 'sent').length,
    skipped: rows.filter((r) => r.status === 'skipped').length,
    read: rows.filter((r) => r.status === 'sent' && r.read).length,
    replied: rows.filter((r) => r.status === 'sent' && r.replied).length,
  };
}

export async function getBatchRollup(
  ctx: MessagingContext,
  { userId, batchId }: { userId: string; batchId: string },
): Promise<TBatchRollup> {
  const [batch] = await queryRows<{
    id: string;
    content: string;
    created_at: string | Date;
    nudge_thread_id: string | null;
  }>(
    ctx.db,
    sql`select id, content, created_at, nudge_thread_id from ${messageBatches}
      where id = ${batchId} and sender_id = ${userId}`,
  );
  if (!batch) throw domainError('BATCH_NOT_FOUND');
  const rows = await queryRows<RecipientRow>(
    ctx.db,
    sql`${recipientRows(sql`r.batch_id = ${batchId}`)} order by u.name, r.recipient_id`,
  );
  const recipients = rows.map((r) => ({
    recipientId: r.recipient_id,
    name: r.name,
    status: r.status,
    skipReason: r.skip_reason,
    threadId: r.thread_id,
    messageId: r.message_id,
    read: Boolean(r.read),
    replied: Boolean(r.replied),
  }));
  return {
    id: batch.id,
    content: batch.content,
    createdAt: iso(batch.created_at),
    nudgeThreadId: batch.nudge_thread_id,
    counts: countsOf(recipients),
    recipients,
  };
}

/** The caller's latest batches (at most 50), newest first, each with its counts. */
export async function listBatches(
  db: Db,
  { userId, nudgeThreadId }: { userId: string; nudgeThreadId?: string },
): Promise<TBatchSummary[]> {
  const batches = await queryRows<{
    id: string;
    content: string;
    created_at: string | Date;
    nudge_thread_id: string | null;
  }>(
    db,
    sql`select id, content, created_at, nudge_thread_id from ${messageBatches}
      where sender_id = ${userId} ${nudgeThreadId ? sql`and nudge_thread_id = ${nudgeThreadId}` : sql``}
      order by created_at desc, id desc limit 50`,
  );
  if (batches.length === 0) return [];
  const ids = batches.map((b) => b.id);
  const rows = await queryRows<RecipientRow & { batch_id: string }>(
    db,
    recipientRows(sql`r.batch_id in ${ids}`),
  );
  return batches.map((b) => ({
    id: b.id,
    content: b.content,
    createdAt: iso(b.created_at),
    nudgeThreadId: b.nudge_thread_id,
    counts: countsOf(
      rows
        .filter((r) => r.batch_id === b.id)
        .map((r) => ({ ...r, read: Boolean(r.read), replied: Boolean(r.replied) })),
    ),
  }));
}
