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
  type Role,
} from '@/db/schema';
import { parseInput } from '@/platform/errors';
import { metrics, observeSendStage, recordMessageSent } from '@/platform/metrics';
import { rateLimitExceeded } from '@/platform/ops-events';
import type { RateLimitRule } from '@/platform/rate-limit';
import { domainError } from './errors';
import { publish, type MessagingContext } from './context';
import { toMessageView, type TMessageView } from './dto';
import { ZClientMessageId, ZId, ZMessageText } from './ids';
import { MAX_ATTACHMENTS_PER_MESSAGE, MAX_MENTIONS } from './limits';
import { attachUploads, readAttachments } from './message-attachments';
import { readExtras } from './message-extras';
import { mentionable, quoteOf, recordMentions } from './message-mentions';
import { appendMessageEventCte, parseTextArray } from './message-log';
import { postBlockedReason } from './policies';
import { verifyMessageAccess } from './verify-message-access';

/** The guide's limit, used when the context carries none. */
export const SEND_RATE_LIMIT = sendRatePerMinute(30);

/** The send limit rule for `limit` messages per sliding minute. */
export function sendRatePerMinute(limit: number): RateLimitRule {
  return { limit, windowMs: 60_000 };
}

/** Uploads (POST …/attachments) to send with the message: the sender's own, not yet sent. */
export const ZAttachmentIds = z
  .array(ZId)
  .max(MAX_ATTACHMENTS_PER_MESSAGE, `At most ${MAX_ATTACHMENTS_PER_MESSAGE} files in one message.`);

export const ZSendMessageInput = z
  .object({
    /** May be empty when files are attached. */
    content: ZMessageText,
    clientMessageId: ZClientMessageId.optional(),
    attachmentIds: ZAttachmentIds.optional(),
    /** Reply to this message (it must be in the same thread): the reply shows a quote of it. */
    replyToId: ZId.optional(),
    /** Participants @mentioned (from the composer's autocomplete); anyone else is ignored. */
    mentionIds: z.array(ZId).max(MAX_MENTIONS, `At most ${MAX_MENTIONS} mentions in one message.`).optional(),
  })
  .refine((m) => m.content.length > 0 || (m.attachmentIds?.length ?? 0) > 0, {
    message: 'Write a message.',
    path: ['content'],
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
  const { content, attachmentIds, replyToId, mentionIds } = parseInput(ZSendMessageInput, {
    content: opts.content,
    attachmentIds: opts.attachmentIds,
    replyToId: opts.replyToId,
    mentionIds: opts.mentionIds,
  });
  // Two independent reads, side by side: on PostgreSQL they overlap on two pooled connections.
  const [access, existing] = await Promise.all([
    verifyMessageAccess(ctx.db, { userId: opts.userId, threadId: opts.threadId }),
    opts.clientMessageId ? findByClientKey(ctx.db, opts.userId, opts.clientMessageId) : undefined,
  ]);
  const sender = { name: access.actor.name, role: access.actor.role };
  if (existing)
    return { message: await storedView(ctx.db, sameThread(existing, opts.threadId), sender), created: false };
  const blocked = postBlockedReason(access.thread, access.actor);
  if (blocked) throw domainError(blocked);
  const [replyTo, mentioned] = await Promise.all([
    replyToId ? quoteOf(ctx.db, opts.threadId, replyToId) : null,
    mentionIds?.length ? mentionable(ctx.db, opts.threadId, opts.userId, mentionIds) : [],
  ]);
  await enforceSendRate(ctx, opts.userId);

  try {
    const checked = performance.now();
    observeSendStage('checks', (checked - started) / 1000);
    const write = { ...opts, senderId: opts.userId, content, replyToId };
    // Without files or mentions the write is one statement; with them, the uploads are claimed and
    // the mentions written in the same transaction, so a refused claim (not the sender's, or
    // already sent) undoes the message too.
    const stored =
      attachmentIds?.length || mentioned.length
        ? await inTransaction(ctx.db, async (tx) => {
            const result = await insertMessage(tx, write);
            const attachments = await attachUploads(tx, {
              messageId: result.message.id,
              senderId: opts.userId,
              uploadIds: attachmentIds ?? [],
              at: result.message.createdAt,
            });
            await recordMentions(tx, result.message, mentioned);
            return { ...result, attachments };
          })
        : { ...(await insertMessage(ctx.db, write)), attachments: [] };
    const committed = performance.now();
    observeSendStage('transaction', (committed - checked) / 1000);
    recordMessageSent(stored.thread.type, (performance.now() - started) / 1000);
    const message = toMessageView(
      {
        ...stored.message,
        attachments: stored.attachments,
        extras: { replyTo, reactions: [], mentions: mentioned },
      },
      sender,
    );
    publish(ctx, {
      type: 'message.created',
      threadId: opts.threadId,
      participantIds: stored.participantIds,
      message,
    });
    if (mentioned.length) {
      // The notification hook: whoever delivers notifications (issue 17) subscribes to this.
      publish(ctx, {
        type: 'message.mentioned',
        threadId: opts.threadId,
        participantIds: mentioned,
        message,
      });
    }
    observeSendStage('publish', (performance.now() - committed) / 1000);
    return { message, created: true };
  } catch (err) {
    if (!(err instanceof DuplicateKey) || !opts.clientMessageId) throw err;
    const existing = await findByClientKey(ctx.db, opts.userId, opts.clientMessageId);
    if (!existing) throw err;
    return { message: await storedView(ctx.db, sameThread(existing, opts.threadId), sender), created: false };
  }
}

/** A stored message (an idempotent replay) with its attachments. */
async function storedView(db: Db, message: Message, sender: { name: string; role: Role }) {
  const [attachments, extras] = await Promise.all([readAttachments(db, message.id), readExtras(db, message)]);
  return toMessageView({ ...message, attachments, extras }, sender);
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
  rateLimitExceeded({ limit: 'send', userId });
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
  replyToId?: string;
  createdAt?: Date;
  /** An urgent announcement (create-thread checks who may): its email skips the delay. */
  urgent?: boolean;
}

/**
 * The write itself: one statement, so a send is one round trip that commits on its own (or runs
 * inside the caller's transaction: create-thread's first message). It bumps the thread's counter,
 * which takes the thread's row lock until the commit and orders the thread's change-feed rows,
 * inserts the message with that number, and updates the participants and appends the change-feed
 * row. A concurrent send with the same client key makes the insert fail on the unique index, which
 * undoes the whole statement (the counter bump too): that is DuplicateKey, and the caller returns
 * the stored original. The feed row's id is drawn under the thread's lock although the order of a
 * statement's common table expressions is not defined: its row is built from `inserted`, which is
 * built from `bumped`, so the lock is taken before that row (and its id) can exist.
 */
export async function insertMessage(
  db: Db,
  opts: TInsertMessageOptions,
): Promise<{ message: Message; thread: MessageThread; participantIds: string[] }> {
  // created_at is taken under the row lock and kept strictly increasing per thread, so the
  // (created_at, id) cursor order is commit order and a reader paging forward never misses a row.
  const requested = opts.createdAt
    ? sql`${opts.createdAt.toISOString()}::timestamptz`
    : sql`clock_timestamp()`;
  // The columns are listed, not `*`: the statement is prepared once per connection
  // (db/prepared-statements.ts), and a prepared `*` fails once its table gains a column.
  // The sender's read pointer moves to their own message; every participant row gets the thread's
  // activity (the thread list's sort key) and loses its archive mark (archive hides a conversation
  // until something new happens in it); the change-feed row has no position yet, so no shared row
  // is touched.
  let rows: InsertedRow[];
  try {
    rows = await queryRows<InsertedRow>(
      db,
      sql`with bumped as (
          update ${messageThreads} set
            last_message_seq = last_message_seq + 1,
            last_message_at = greatest(${requested}, last_message_at + interval '1 millisecond'),
            updated_at = clock_timestamp()
          where id = ${opts.threadId}
          returning id, type, class_id, created_by_id, title, students_can_reply, direct_key,
            last_message_seq, last_message_at, created_at, updated_at
        ),
        inserted as (
          insert into ${messages} (thread_id, sender_id, content, seq, client_message_id, reply_to_id, created_at, urgent)
          select id, ${opts.senderId}, ${opts.content}, last_message_seq, ${opts.clientMessageId ?? null},
            ${opts.replyToId ?? null}, last_message_at, ${opts.urgent ?? false}
          from bumped
          returning id, seq, created_at
        ),
        touched as (
          update ${messageParticipants} p set
            last_read_seq = case when p.user_id = ${opts.senderId} then greatest(p.last_read_seq, i.seq) else p.last_read_seq end,
            last_read_message_id = case when p.user_id = ${opts.senderId} then i.id else p.last_read_message_id end,
            last_read_at = case when p.user_id = ${opts.senderId} then i.created_at else p.last_read_at end,
            last_seen_at = case when p.user_id = ${opts.senderId} then i.created_at else p.last_seen_at end,
            archived_at = null,
            activity_at = i.created_at
          from inserted i
          where p.thread_id = ${opts.threadId}
          returning 1
        ),
        ${appendMessageEventCte({ threadId: opts.threadId, messageId: sql`(select id from inserted)`, kind: 'created' })}
        select i.id as message_id, b.id, b.type, b.class_id, b.created_by_id, b.title, b.students_can_reply,
          b.direct_key, b.last_message_seq, b.last_message_at, b.created_at, b.updated_at,
          (select count(*) from touched) as touched, (select count(*) from appended) as appended,
          array(select user_id from ${messageParticipants}
            where thread_id = ${opts.threadId} and left_at is null) as participant_ids
        from inserted i cross join bumped b`,
    );
  } catch (err) {
    if (isUniqueViolation(err, 'uq_messages_sender_client_key')) throw new DuplicateKey();
    throw err;
  }
  const row = rows[0];
  if (!row) throw domainError('THREAD_NOT_FOUND');
  const thread: MessageThread = {
    id: row.id,
    type: row.type,
    classId: row.class_id,
    createdById: row.created_by_id,
    title: row.title,
    studentsCanReply: row.students_can_reply,
    directKey: row.direct_key,
    lastMessageSeq: Number(row.last_message_seq),
    lastMessageAt: new Date(row.last_message_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
  const message: Message = {
    id: row.message_id,
    threadId: opts.threadId,
    senderId: opts.senderId,
    content: opts.content,
    seq: thread.lastMessageSeq,
    clientMessageId: opts.clientMessageId ?? null,
    replyToId: opts.replyToId ?? null,
    version: 0,
    createdAt: thread.lastMessageAt!,
    editedAt: null,
    deletedAt: null,
    urgent: opts.urgent ?? false,
  };
  return { message, thread, participantIds: parseTextArray(row.participant_ids) };
}

/** What insertMessage's statement returns: the bumped thread row, the message id and the audience. */
interface InsertedRow extends Record<string, unknown> {
  message_id: string;
  id: string;
  type: MessageThread['type'];
  class_id: string | null;
  created_by_id: string;
  title: string | null;
  students_can_reply: boolean;
  direct_key: string | null;
  last_message_seq: string | number;
  last_message_at: string | Date;
  created_at: string | Date;
  updated_at: string | Date;
  participant_ids: string[] | string;
}

/** A unique-index violation (SQLSTATE 23505) on the named constraint, from either driver. */
function isUniqueViolation(err: unknown, constraint: string): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const { code, constraint: name, message } = e as { code?: string; constraint?: string; message?: string };
    if (code === '23505' && (name === constraint || message?.includes(constraint))) return true;
  }
  return false;
}

export async function findByClientKey(db: Db, senderId: string, key: string): Promise<Message | undefined> {
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.senderId, senderId), eq(messages.clientMessageId, key)))
    .limit(1);
  return row;
}
