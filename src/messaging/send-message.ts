// Sending a message: the one function every transport (REST, Socket.IO, seed, tests) calls.
// Order within a thread is commit order: the thread row is locked by bumping its counter, and the
// message takes that number. A retry with the same client key returns the stored original.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { messageParticipants, messageThreads, messages, type Message } from '@/db/schema';
import { AppError } from '@/platform/errors';
import { metrics } from '@/platform/metrics';

export interface TSendMessageOptions {
  threadId: string;
  senderId: string;
  content: string;
  /** The sender's idempotency key for this message. */
  clientMessageId?: string;
  /** Backdating for seed data and tests; live sends use the database clock. */
  createdAt?: Date;
}

export interface TSendMessageResult {
  message: Message;
  /** false when the client key matched an existing message (a retry). */
  created: boolean;
}

class DuplicateKey extends Error {}

export async function sendMessage(db: Db, opts: TSendMessageOptions): Promise<TSendMessageResult> {
  const content = opts.content.trim();
  if (content.length === 0 || content.length > 10_000) {
    throw new AppError('VALIDATION_FAILED', 'A message must be between 1 and 10,000 characters.', {
      fields: { content: ['Must be between 1 and 10,000 characters after trimming.'] },
    });
  }
  if (opts.clientMessageId) {
    const existing = await findByClientKey(db, opts.senderId, opts.clientMessageId);
    if (existing) return { message: existing, created: false };
  }
  try {
    const message = await db.transaction(async (tx) => {
      const [thread] = await tx
        .update(messageThreads)
        .set({
          lastMessageSeq: sql`${messageThreads.lastMessageSeq} + 1`,
          lastMessageAt: opts.createdAt ?? sql`clock_timestamp()`,
          updatedAt: sql`clock_timestamp()`,
        })
        .where(eq(messageThreads.id, opts.threadId))
        .returning({ seq: messageThreads.lastMessageSeq, at: messageThreads.lastMessageAt });
      if (!thread) throw new AppError('NOT_FOUND', 'This conversation does not exist.');

      const [inserted] = await tx
        .insert(messages)
        .values({
          threadId: opts.threadId,
          senderId: opts.senderId,
          content,
          seq: thread.seq,
          clientMessageId: opts.clientMessageId,
          // The time taken under the lock, so the thread's last activity is this message's time.
          createdAt: thread.at ?? undefined,
        })
        .onConflictDoNothing({ target: [messages.senderId, messages.clientMessageId] })
        .returning();
      // A concurrent send with the same key committed first: undo our counter bump, return theirs.
      if (!inserted) throw new DuplicateKey();

      await tx
        .update(messageParticipants)
        .set({
          lastReadSeq: sql`greatest(${messageParticipants.lastReadSeq}, ${inserted.seq})`,
          lastReadMessageId: inserted.id,
          lastReadAt: inserted.createdAt,
          lastSeenAt: inserted.createdAt,
        })
        .where(
          and(eq(messageParticipants.threadId, opts.threadId), eq(messageParticipants.userId, opts.senderId)),
        );
      return inserted;
    });
    metrics().messagesSent.inc();
    return { message, created: true };
  } catch (err) {
    if (!(err instanceof DuplicateKey) || !opts.clientMessageId) throw err;
    const existing = await findByClientKey(db, opts.senderId, opts.clientMessageId);
    if (!existing) throw err;
    return { message: existing, created: false };
  }
}

async function findByClientKey(db: Db, senderId: string, key: string): Promise<Message | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.senderId, senderId), eq(messages.clientMessageId, key)))
    .limit(1);
  return row;
}
