// Sending a message: the one function every transport (REST, Socket.IO, seed, tests) calls.
// Order: access → idempotent retry → policy → rate limit → one transaction → publish → return.
// Order within a thread is commit order: the thread row is locked by bumping its counter, and the
// message takes that number; the change-feed row appended under that lock gets its position later,
// from the sequencer (feed-sequencer.ts). A retry with the same client key returns the stored
// original.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction, type Db } from '@/db/client';
import { messageColumns, messages, type Message, type Role } from '@/db/schema';
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
import { DuplicateKey, insertMessage, insertMessageBatched } from './insert-messages';
import { postBlockedReason } from './policies';
import { verifySendAccess } from './verify-message-access';

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
  /**
   * A transport's own check of the caller (a socket's session), run alongside the access check:
   * nothing is read back or written unless it resolves, and its rejection is the send's.
   */
  callerCheck?: Promise<unknown>;
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
  // Access and the client key in one statement, shared with concurrent sends, beside the caller check.
  const [access] = await Promise.all([
    verifySendAccess(ctx.db, {
      userId: opts.userId,
      threadId: opts.threadId,
      clientMessageId: opts.clientMessageId,
    }),
    opts.callerCheck,
  ]);
  const sender = { name: access.actor.name, role: access.actor.role };
  const existing =
    access.existingId && opts.clientMessageId
      ? await findByClientKey(ctx.db, opts.userId, opts.clientMessageId)
      : undefined;
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
        : { ...(await insertMessageBatched(ctx.db, write)), attachments: [] };
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

export async function findByClientKey(db: Db, senderId: string, key: string): Promise<Message | undefined> {
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.senderId, senderId), eq(messages.clientMessageId, key)))
    .limit(1);
  return row;
}
