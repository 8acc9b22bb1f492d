// Starting a conversation: a DIRECT thread between an instructor and one of their students (one per
// pair; asking again returns the existing thread), or a CLASS thread created by a primary
// instructor for the class's instructors and current students. The thread and its first message
// are written in one transaction.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inTransaction, type Db } from '@/db/client';
import {
  classEnrollments,
  classInstructors,
  classes,
  messageParticipants,
  messageThreads,
  users,
  type Message,
  type MessageThread,
  type Role,
} from '@/db/schema';
import { AppError, parseInput } from '@/platform/errors';
import { recordMessageSent } from '@/platform/metrics';
import { domainError } from './errors';
import { publish, type MessagingContext } from './context';
import { toMessageView, toThreadRef, type TAttachment, type TMessageView, type TThreadRef } from './dto';
import { validText, ZClientMessageId, ZContent, ZId } from './ids';
import { MAX_TITLE_CHARS } from './limits';
import { canStartDirect, directKeyFor } from './policies';
import { DuplicateKey, insertMessage } from './insert-messages';
import { enforceSendRate, findByClientKey } from './send-message';
import { sharesClassSql } from './verify-message-access';

const firstMessage = { content: ZContent, clientMessageId: ZClientMessageId.optional() };

export const ZCreateDirectThreadInput = z.object({
  type: z.literal('DIRECT'),
  recipientId: ZId,
  ...firstMessage,
});

export const ZCreateClassThreadInput = z.object({
  type: z.literal('CLASS'),
  classId: ZId,
  title: validText(
    z
      .string()
      .trim()
      .min(1, 'Give the thread a title.')
      .max(MAX_TITLE_CHARS, `At most ${MAX_TITLE_CHARS} characters.`),
  ),
  /** announcement: students read only; discussion: students reply to everyone. */
  kind: z.enum(['announcement', 'discussion']).default('announcement'),
  /** Announcements only: its email goes out at once instead of after NOTIFY_EMAIL_DELAY (quiet hours still hold it). */
  urgent: z.boolean().default(false),
  ...firstMessage,
});

export const ZCreateThreadInput = z.discriminatedUnion('type', [
  ZCreateDirectThreadInput,
  ZCreateClassThreadInput,
]);
export type TCreateThreadInput = z.input<typeof ZCreateThreadInput>;

export interface TCreateThreadResult {
  thread: TThreadRef;
  message: TMessageView;
  /** false when the DIRECT thread already existed (the message was added to it) or on a retry. */
  threadCreated: boolean;
  /** false when the client key matched an existing message (a retry). */
  messageCreated: boolean;
}

export async function createThread(
  ctx: MessagingContext,
  {
    userId,
    input,
    attach,
  }: {
    userId: string;
    input: TCreateThreadInput;
    /**
     * Files for the first message, written in its transaction (send-individually's copies of the
     * batch's uploads): a refusal there undoes the thread and the message too.
     */
    attach?: (tx: Db, message: Message) => Promise<TAttachment[]>;
  },
): Promise<TCreateThreadResult> {
  const started = performance.now();
  const parsed = parseInput(ZCreateThreadInput, input);
  const actor = await loadUser(ctx.db, userId);
  if (!actor) throw new AppError('UNAUTHORIZED', 'Sign in to continue.');

  if (parsed.clientMessageId) {
    const retry = await findByClientKey(ctx.db, userId, parsed.clientMessageId);
    if (retry) return replay(ctx.db, retry, actor, parsed);
  }

  const prepared =
    parsed.type === 'DIRECT'
      ? await prepareDirect(ctx.db, actor, parsed.recipientId)
      : await prepareClass(ctx.db, actor, parsed.classId, parsed.title, parsed.kind);
  await enforceSendRate(ctx, userId);

  let result: {
    thread: MessageThread;
    threadCreated: boolean;
    message: Message;
    participantIds: string[];
    attachments: TAttachment[];
  };
  try {
    result = await inTransaction(ctx.db, async (tx) => {
      const { thread, threadCreated } = await prepared.upsert(tx);
      const stored = await insertMessage(tx, {
        threadId: thread.id,
        senderId: userId,
        content: parsed.content,
        clientMessageId: parsed.clientMessageId,
        urgent: parsed.type === 'CLASS' && parsed.kind === 'announcement' && parsed.urgent,
      });
      const attachments = attach ? await attach(tx, stored.message) : [];
      return { ...stored, threadCreated, attachments };
    });
  } catch (err) {
    if (!(err instanceof DuplicateKey) || !parsed.clientMessageId) throw err;
    const retry = await findByClientKey(ctx.db, userId, parsed.clientMessageId);
    if (!retry) throw err;
    return replay(ctx.db, retry, actor, parsed);
  }
  recordMessageSent(result.thread.type, (performance.now() - started) / 1000);
  const thread = toThreadRef(result.thread);
  const message = toMessageView({ ...result.message, attachments: result.attachments }, actor);
  const participantIds = result.participantIds;
  if (result.threadCreated)
    publish(ctx, { type: 'thread.created', threadId: thread.id, participantIds, thread });
  publish(ctx, {
    type: 'message.created',
    threadId: thread.id,
    participantIds,
    message,
  });
  return { thread, message, threadCreated: result.threadCreated, messageCreated: true };
}

interface Actor {
  id: string;
  name: string;
  role: Role;
}

async function loadUser(db: Db, id: string): Promise<Actor | undefined> {
  const [row] = await db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}

/**
 * A retried create: the original message and its thread, nothing written. A key whose message is in
 * another conversation than the one asked for is a client bug, refused as in sendMessage.
 */
async function replay(
  db: Db,
  message: Message,
  actor: Actor,
  input: z.output<typeof ZCreateThreadInput>,
): Promise<TCreateThreadResult> {
  const [thread] = await db.select().from(messageThreads).where(eq(messageThreads.id, message.threadId));
  if (!thread) throw domainError('THREAD_NOT_FOUND');
  const sameConversation =
    input.type === 'DIRECT'
      ? thread.directKey === directKeyFor(actor.id, input.recipientId)
      : thread.type === 'CLASS' && thread.classId === input.classId && message.seq === 1;
  if (!sameConversation) {
    throw domainError('IDEMPOTENCY_KEY_REUSED');
  }
  return {
    thread: toThreadRef(thread),
    message: toMessageView(message, actor),
    threadCreated: false,
    messageCreated: false,
  };
}

interface Prepared {
  upsert(tx: Db): Promise<{ thread: MessageThread; threadCreated: boolean }>;
}

async function prepareDirect(db: Db, actor: Actor, recipientId: string): Promise<Prepared> {
  const [recipient] = await db
    .select({
      id: users.id,
      role: users.role,
      sharesClass: sharesClassSql(sql`${actor.id}`, sql`${users.id}`),
    })
    .from(users)
    .where(eq(users.id, recipientId))
    .limit(1);
  // Unknown and unrelated users get the same answer, so user ids cannot be probed.
  if (!recipient || !canStartDirect(actor, recipient, Boolean(recipient.sharesClass))) {
    throw domainError('RECIPIENT_NOT_ALLOWED', { fields: { recipientId: ['Not someone you can message.'] } });
  }
  const directKey = directKeyFor(actor.id, recipient.id);
  return {
    async upsert(tx) {
      const [created] = await tx
        .insert(messageThreads)
        .values({ type: 'DIRECT', createdById: actor.id, directKey })
        .onConflictDoNothing({ target: messageThreads.directKey })
        .returning();
      const thread =
        created ?? (await tx.select().from(messageThreads).where(eq(messageThreads.directKey, directKey)))[0];
      if (!thread) throw new Error('DIRECT thread vanished between insert and select');
      await tx
        .insert(messageParticipants)
        .values(
          [actor.id, recipient.id].map((userId) => ({
            threadId: thread.id,
            userId,
            activityAt: activityOf(thread),
          })),
        )
        .onConflictDoNothing({ target: [messageParticipants.threadId, messageParticipants.userId] });
      return { thread, threadCreated: !!created };
    },
  };
}

async function prepareClass(
  db: Db,
  actor: Actor,
  classId: string,
  title: string,
  kind: 'announcement' | 'discussion',
): Promise<Prepared> {
  const [teaching] = await db
    .select({ isPrimary: classInstructors.isPrimary })
    .from(classInstructors)
    .innerJoin(classes, eq(classes.id, classInstructors.classId))
    .where(and(eq(classInstructors.classId, classId), eq(classInstructors.instructorId, actor.id)))
    .limit(1);
  // A class the actor does not teach is, to them, a class that does not exist.
  if (!teaching) {
    throw domainError('CLASS_NOT_FOUND', { fields: { classId: ['Not one of your classes.'] } });
  }
  if (!teaching.isPrimary) {
    throw domainError('NOT_PRIMARY_INSTRUCTOR');
  }
  return {
    async upsert(tx) {
      const [thread] = await tx
        .insert(messageThreads)
        .values({
          type: 'CLASS',
          classId,
          createdById: actor.id,
          title,
          studentsCanReply: kind === 'discussion',
        })
        .returning();
      if (!thread) throw new Error('thread insert returned nothing');
      await addClassMembers(tx, thread, classId);
      return { thread, threadCreated: true };
    },
  };
}

/** Everyone a CLASS thread is for: the class's instructors and its currently enrolled students. */
/** A participant row's copy of the thread list's sort key (message_participants.activity_at). */
function activityOf(thread: MessageThread): Date {
  return thread.lastMessageAt ?? thread.createdAt;
}

export async function addClassMembers(tx: Db, thread: MessageThread, classId: string): Promise<void> {
  await tx.execute(sql`
    insert into ${messageParticipants} (id, thread_id, user_id, activity_at)
    select gen_random_uuid()::text, ${thread.id}, member.user_id, ${activityOf(thread).toISOString()}::timestamptz
    from (
      select ${classInstructors.instructorId} as user_id from ${classInstructors}
        where ${classInstructors.classId} = ${classId}
      union
      select ${classEnrollments.studentId} from ${classEnrollments}
        where ${classEnrollments.classId} = ${classId} and ${classEnrollments.leftAt} is null
    ) member
    on conflict (thread_id, user_id) do nothing`);
}
