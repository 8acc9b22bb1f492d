// Enrollment drives CLASS-thread membership: a student who enrolls (or re-enrolls) joins every
// CLASS thread of the class; a student who leaves is marked as left in them and loses access at
// once (verifyMessageAccess only admits participants who have not left).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { inTransaction, queryRows } from '@/db/client';
import { classEnrollments, messageParticipants, messageThreads } from '@/db/schema';
import { publish, type MessagingContext } from '@/messaging/context';

export interface TEnrollmentOptions {
  classId: string;
  studentId: string;
  /** Backdating for seed data and tests. */
  at?: Date;
}

export async function enrollStudent(ctx: MessagingContext, opts: TEnrollmentOptions): Promise<void> {
  const at = opts.at ?? new Date();
  const threadIds = await inTransaction(ctx.db, async (tx) => {
    await tx
      .insert(classEnrollments)
      .values({ classId: opts.classId, studentId: opts.studentId, enrolledAt: at })
      .onConflictDoUpdate({
        target: [classEnrollments.classId, classEnrollments.studentId],
        set: { leftAt: null, enrolledAt: at },
      });
    // A late joiner sees the class's existing threads, with their history unread, each where its
    // last activity puts it in their list.
    const joined = await queryRows<{ thread_id: string }>(
      tx,
      sql`
      insert into ${messageParticipants} (id, thread_id, user_id, joined_at, activity_at)
      select gen_random_uuid()::text, ${messageThreads.id}, ${opts.studentId}, ${at.toISOString()}::timestamptz,
        coalesce(${messageThreads.lastMessageAt}, ${messageThreads.createdAt})
      from ${messageThreads}
      where ${messageThreads.classId} = ${opts.classId} and ${messageThreads.type} = 'CLASS'
      on conflict (thread_id, user_id) do update set left_at = null, activity_at = excluded.activity_at
      returning thread_id`,
    );
    return joined.map((r) => r.thread_id);
  });
  announce(ctx, threadIds, opts.studentId, true);
}

export async function removeEnrollment(ctx: MessagingContext, opts: TEnrollmentOptions): Promise<void> {
  const at = opts.at ?? new Date();
  const threadIds = await inTransaction(ctx.db, async (tx) => {
    await tx
      .update(classEnrollments)
      .set({ leftAt: at })
      .where(and(eq(classEnrollments.classId, opts.classId), eq(classEnrollments.studentId, opts.studentId)));
    const classThreads = tx
      .select({ id: messageThreads.id })
      .from(messageThreads)
      .where(and(eq(messageThreads.classId, opts.classId), eq(messageThreads.type, 'CLASS')));
    const left = await tx
      .update(messageParticipants)
      .set({ leftAt: at })
      .where(
        and(
          eq(messageParticipants.userId, opts.studentId),
          inArray(messageParticipants.threadId, classThreads),
        ),
      )
      .returning({ threadId: messageParticipants.threadId });
    return left.map((r) => r.threadId);
  });
  announce(ctx, threadIds, opts.studentId, false);
}

function announce(ctx: MessagingContext, threadIds: string[], userId: string, joined: boolean) {
  for (const threadId of threadIds) {
    publish(ctx, { type: 'membership.changed', threadId, participantIds: [userId], userId, joined });
  }
}
