// Scheduled send: a message to a thread, or a new class announcement or discussion, sent at a chosen
// time. Stored as a row of scheduled_messages (durable: it survives restarts); editable and
// cancellable while it waits; listed for its sender. The policy is checked when it is scheduled
// (so nobody schedules what they may not send) and again at send time (send-due-scheduled.ts).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { classInstructors, scheduledMessages } from '@/db/schema';
import { AppError, parseInput } from '@/platform/errors';
import type { MessagingContext } from './context';
import { iso, ZDate } from './dto';
import { domainError } from './errors';
import { validText, ZContent, ZId } from './ids';
import { MAX_TITLE_CHARS } from './limits';
import { postBlockedReason } from './policies';
import { verifyMessageAccess } from './verify-message-access';

/** How far ahead a message may be scheduled. */
export const MAX_SCHEDULE_AHEAD_DAYS = 365;

const ZSendAt = ZDate.describe('When to send, with its offset (the sender’s local time)');
const ZTimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'Not a time zone.');

export const ZScheduleInput = z
  .object({
    content: ZContent,
    sendAt: ZSendAt,
    timeZone: ZTimeZone.default('UTC'),
    threadId: ZId.optional(),
    classId: ZId.optional(),
    title: validText(z.string().trim().min(1).max(MAX_TITLE_CHARS)).optional(),
    kind: z.enum(['announcement', 'discussion']).optional(),
  })
  .refine((v) => (v.threadId === undefined) !== (v.classId === undefined), {
    message: 'Schedule into a thread (threadId) or a new class thread (classId, title, kind).',
    path: ['threadId'],
  })
  .refine((v) => !v.classId || (v.title && v.kind), {
    message: 'A new class thread needs a title and a kind.',
    path: ['title'],
  });

export const ZEditScheduledInput = z
  .object({ content: ZContent.optional(), sendAt: ZSendAt.optional(), timeZone: ZTimeZone.optional() })
  .refine((v) => v.content !== undefined || v.sendAt !== undefined, {
    message: 'Change the text or the time.',
    path: ['content'],
  });

export const ZScheduled = z
  .object({
    id: z.string(),
    threadId: z.string().nullable(),
    classId: z.string().nullable(),
    title: z.string().nullable(),
    kind: z.enum(['announcement', 'discussion']).nullable(),
    content: z.string(),
    sendAt: ZDate,
    timeZone: z.string(),
    status: z.enum(['scheduled', 'sending', 'sent', 'cancelled', 'failed']),
    failureReason: z.string().nullable(),
    sentThreadId: z.string().nullable().describe('Where it went, once sent'),
    messageId: z.string().nullable(),
    createdAt: ZDate,
  })
  .meta({ id: 'ScheduledMessage' });
export type TScheduled = z.infer<typeof ZScheduled>;

export const ZScheduledList = z.object({ scheduled: z.array(ZScheduled) }).meta({ id: 'ScheduledList' });
export const ZListScheduledQuery = z.object({
  /** Only those waiting (default), or every one of the last 100. */
  all: z.enum(['true', 'false']).optional(),
});

type Row = typeof scheduledMessages.$inferSelect;

export function toScheduled(r: Row): TScheduled {
  return {
    id: r.id,
    threadId: r.threadId,
    classId: r.classId,
    title: r.title,
    kind: r.kind,
    content: r.content,
    sendAt: iso(r.sendAt),
    timeZone: r.timeZone,
    status: r.status,
    failureReason: r.failureReason,
    sentThreadId: r.sentThreadId,
    messageId: r.messageId,
    createdAt: iso(r.createdAt),
  };
}

function checkTime(sendAt: string, now = Date.now()): Date {
  const at = new Date(sendAt);
  if (at.getTime() < now - 60_000 || at.getTime() > now + MAX_SCHEDULE_AHEAD_DAYS * 86_400_000) {
    throw new AppError('VALIDATION_FAILED', 'Choose a time from now to a year ahead.', {
      fields: { sendAt: ['Choose a time from now to a year ahead.'] },
    });
  }
  return at;
}

/** The sender may post to the thread now, or start a thread in the class (its primary instructor). */
async function checkTarget(db: Db, userId: string, target: { threadId?: string; classId?: string }) {
  if (target.threadId) {
    const access = await verifyMessageAccess(db, { userId, threadId: target.threadId });
    const blocked = postBlockedReason(access.thread, access.actor);
    if (blocked) throw domainError(blocked);
    return;
  }
  const [teaching] = await db
    .select({ isPrimary: classInstructors.isPrimary })
    .from(classInstructors)
    .where(and(eq(classInstructors.classId, target.classId!), eq(classInstructors.instructorId, userId)));
  if (!teaching) throw domainError('CLASS_NOT_FOUND', { fields: { classId: ['Not one of your classes.'] } });
  if (!teaching.isPrimary) throw domainError('NOT_PRIMARY_INSTRUCTOR');
}

export async function scheduleMessage(
  ctx: MessagingContext,
  { userId, input }: { userId: string; input: z.input<typeof ZScheduleInput> },
): Promise<TScheduled> {
  const v = parseInput(ZScheduleInput, input);
  const sendAt = checkTime(v.sendAt);
  await checkTarget(ctx.db, userId, v);
  const [row] = await ctx.db
    .insert(scheduledMessages)
    .values({
      senderId: userId,
      threadId: v.threadId ?? null,
      classId: v.classId ?? null,
      title: v.classId ? v.title : null,
      kind: v.classId ? v.kind : null,
      content: v.content,
      sendAt,
      timeZone: v.timeZone,
    })
    .returning();
  return toScheduled(row!);
}

export async function listScheduled(
  ctx: MessagingContext,
  { userId, all = false }: { userId: string; all?: boolean },
): Promise<TScheduled[]> {
  const rows = await ctx.db
    .select()
    .from(scheduledMessages)
    .where(
      and(
        eq(scheduledMessages.senderId, userId),
        all ? undefined : inArray(scheduledMessages.status, ['scheduled', 'sending']),
      ),
    )
    .orderBy(asc(scheduledMessages.sendAt), asc(scheduledMessages.id))
    .limit(100);
  return rows.map(toScheduled);
}

/** Only the sender's own, and only while it waits; anything else is NOT_FOUND or SCHEDULE_CLOSED. */
async function changeWaiting(
  ctx: MessagingContext,
  userId: string,
  id: string,
  set: Partial<typeof scheduledMessages.$inferInsert>,
): Promise<TScheduled> {
  const [row] = await ctx.db
    .update(scheduledMessages)
    .set({ ...set, updatedAt: sql`clock_timestamp()` })
    .where(
      and(
        eq(scheduledMessages.id, id),
        eq(scheduledMessages.senderId, userId),
        eq(scheduledMessages.status, 'scheduled'),
      ),
    )
    .returning();
  if (row) return toScheduled(row);
  const [existing] = await ctx.db
    .select({ status: scheduledMessages.status })
    .from(scheduledMessages)
    .where(and(eq(scheduledMessages.id, id), eq(scheduledMessages.senderId, userId)));
  if (!existing) throw domainError('SCHEDULED_NOT_FOUND');
  throw domainError('SCHEDULE_CLOSED');
}

export async function editScheduled(
  ctx: MessagingContext,
  { userId, id, input }: { userId: string; id: string; input: z.input<typeof ZEditScheduledInput> },
): Promise<TScheduled> {
  const v = parseInput(ZEditScheduledInput, input);
  return changeWaiting(ctx, userId, id, {
    ...(v.content !== undefined ? { content: v.content } : {}),
    ...(v.sendAt !== undefined ? { sendAt: checkTime(v.sendAt) } : {}),
    ...(v.timeZone !== undefined ? { timeZone: v.timeZone } : {}),
  });
}

export async function cancelScheduled(
  ctx: MessagingContext,
  { userId, id }: { userId: string; id: string },
): Promise<TScheduled> {
  return changeWaiting(ctx, userId, id, { status: 'cancelled' });
}
