// Sending a message: the one function every transport (REST, Socket.IO, seed, tests) calls.
// Order: access → idempotent retry → policy → rate limit → one transaction → publish → return.
// Order within a thread is commit order: the thread row is locked by bumping its counter, and the
// message takes that number; the change-feed row appended under that lock gets its position later,
// from the sequencer (feed-sequencer.ts). A retry with the same client key returns the stored
// original.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction, queryRows, type Db } from '@/db/client';
import {
  messageColumns,
  messageParticipants,
  messageThreads,
  messages,
  type Message,
  type MessageThread,
} from '@/db/schema';
import { parseInput } from '@/platform/errors';
import { metrics, observeSendStage } from '@/platform/metrics';
import type { RateLimitRule } from '@/platform/rate-limit';
import { domainError } from './errors';
import { publish, type MessagingContext } from './context';
import { toMessageView, type TMessageView } from './dto';
import { ZClientMessageId, ZContent } from './ids';
import { appendMessageEventCte, parseTextArray } from './message-log';
import { postBlockedReason } from './policies';
import { verifyMessageAccess } from './verify-message-access';

/** The guide's limit, used when the context carries none. */
export const SEND_RATE_LIMIT = sendRatePerMinute(30);

/** The send limit rule for `limit` messages per sliding minute. */
export function sendRatePerMinute(limit: number): RateLimitRule {
  return { limit, windowMs: 60_000 };
}

export const ZSendMessageInput = z.object({
  content: ZContent,
  clientMessageId: ZClientMessageId.optional(),
});
export type TSendMessageInput = z.infer<typeof ZSendMessageInput>;

export interface TSendMessageOptions extends TSendMessageInput {
  /** The caller, who sends. */
  userId: string;
  threadId: string;
  /** Backdating for seed data and tests; live sends use the database clock. */
  createdAt?: Date;
}

export interface TSendMessageResult {
  message: TMessageView;
  /** false when the client key matched an existing message (a retry). */
  created: boolean;
}

export async function sendMessage(
  ctx: MessagingContext,
  opts: TSendMessageOptions,
): Promise<TSendMessageResult> {
  const started = performance.now();
  const { content } = parseInput(ZSendMessageInput.pick({ content: true }), { content: opts.content });
  const access = await verifyMessageAccess(ctx.db, { userId: opts.userId, threadId: opts.threadId });
  const sender = { name: access.actor.name, role: access.actor.role };

  if (opts.clientMessageId) {
    const existing = await findByClientKey(ctx.db, opts.userId, opts.clientMessageId);
    if (existing)
      return { message: toMessageView(sameThread(existing, opts.threadId), sender), created: false };
  }
  const blocked = postBlockedReason(access.thread, access.actor);
  if (blocked) throw domainError(blocked);
  await enforceSendRate(ctx, opts.userId);

  try {
    const checked = performance.now();
    observeSendStage('checks', (checked - started) / 1000);
    let written = checked;
    const stored = await inTransaction(ctx.db, async (tx) => {
      const result = await insertMessage(tx, { ...opts, senderId: opts.userId, content });
      written = performance.now();
      return result;
    });
    const committed = performance.now();
    observeSendStage('transaction', (written - checked) / 1000);
    observeSendStage('commit', (committed - written) / 1000);
    metrics().messagesSent.inc();
    const message = toMessageView(stored.message, sender);
    publish(ctx, {
      type: 'message.created',
      threadId: opts.threadId,
      participantIds: stored.participantIds,
      message,
    });
    observeSendStage('publish', (performance.now() - committed) / 1000);
    return { message, created: true };
  } catch (err) {
    if (!(err instanceof DuplicateKey) || !opts.clientMessageId) throw err;
    const existing = await findByClientKey(ctx.db, opts.userId, opts.clientMessageId);
    if (!existing) throw err;
    return { message: toMessageView(sameThread(existing, opts.threadId), sender), created: false };
  }
}

/**
 * The context's send limit per user (by default 30 a minute, the guide's), shared across processes
 * when Redis is on.
 */
export async function enforceSendRate(ctx: MessagingContext, userId: string): Promise<void> {
  if (!ctx.rateLimiter) return;
  const decision = await ctx.rateLimiter.consume(`send:${userId}`, ctx.sendRateLimit ?? SEND_RATE_LIMIT);
  if (decision.allowed) return;
  metrics().sendsRateLimited.inc();
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  throw domainError('RATE_LIMITED', { headers: { 'Retry-After': String(seconds) } });
}

/** A key belongs to one message: reusing it for another thread is a client bug, not a retry. */
function sameThread(message: Message, threadId: string): Message {
  if (message.threadId !== threadId) {
    throw domainError('IDEMPOTENCY_KEY_REUSED');
  }
  return message;
}

export class DuplicateKey extends Error {}

export interface TInsertMessageOptions {
  threadId: string;
  senderId: string;
  content: string;
  clientMessageId?: string;
  createdAt?: Date;
}

/**
 * The write itself, inside the caller's transaction (send, and create-thread's first message).
 * Throws DuplicateKey when a concurrent send with the same client key committed first; the caller
 * rolls back (undoing the counter bump) and returns that message. The thread's row stays locked
 * from the first statement to the commit, which orders the thread's change-feed rows.
 */
export async function insertMessage(
  tx: Db,
  opts: TInsertMessageOptions,
): Promise<{ message: Message; thread: MessageThread; participantIds: string[] }> {
  // created_at is taken under the row lock and kept strictly increasing per thread, so the
  // (created_at, id) cursor order is commit order and a reader paging forward never misses a row.
  const requested = opts.createdAt
    ? sql`${opts.createdAt.toISOString()}::timestamptz`
    : sql`clock_timestamp()`;
  const [thread] = await tx
    .update(messageThreads)
    .set({
      lastMessageSeq: sql`${messageThreads.lastMessageSeq} + 1`,
      lastMessageAt: sql`greatest(${requested}, ${messageThreads.lastMessageAt} + interval '1 millisecond')`,
      updatedAt: sql`clock_timestamp()`,
    })
    .where(eq(messageThreads.id, opts.threadId))
    .returning();
  if (!thread?.lastMessageAt) throw domainError('THREAD_NOT_FOUND');

  const [inserted] = await tx
    .insert(messages)
    .values({
      threadId: opts.threadId,
      senderId: opts.senderId,
      content: opts.content,
      seq: thread.lastMessageSeq,
      clientMessageId: opts.clientMessageId,
      createdAt: thread.lastMessageAt,
    })
    .onConflictDoNothing({ target: [messages.senderId, messages.clientMessageId] })
    .returning(messageColumns);
  if (!inserted) throw new DuplicateKey();

  // One statement for the rest: the sender's read pointer, un-archiving the thread for everyone
  // (archive hides a conversation until something new happens in it), every participant row's copy
  // of the thread's activity (the thread list's sort key), the change-feed row (without a position:
  // no shared row is touched) and the audience.
  const me = sql`user_id = ${opts.senderId}`;
  const at = sql`${inserted.createdAt.toISOString()}::timestamptz`;
  const [after] = await queryRows<{ participant_ids: string[] | string }>(
    tx,
    sql`with touched as (
        update ${messageParticipants} set
          last_read_seq = case when ${me} then greatest(last_read_seq, ${inserted.seq}) else last_read_seq end,
          last_read_message_id = case when ${me} then ${inserted.id} else last_read_message_id end,
          last_read_at = case when ${me} then ${at} else last_read_at end,
          last_seen_at = case when ${me} then ${at} else last_seen_at end,
          archived_at = null,
          activity_at = ${at}
        where thread_id = ${opts.threadId}
        returning 1
      ),
      ${appendMessageEventCte({ threadId: opts.threadId, messageId: inserted.id, kind: 'created' })}
      select (select count(*) from appended) as appended,
        array(select user_id from ${messageParticipants}
          where thread_id = ${opts.threadId} and left_at is null) as participant_ids`,
  );
  const participantIds = parseTextArray(after!.participant_ids);
  return { message: inserted, thread, participantIds };
}

export async function findByClientKey(db: Db, senderId: string, key: string): Promise<Message | undefined> {
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.senderId, senderId), eq(messages.clientMessageId, key)))
    .limit(1);
  return row;
}
