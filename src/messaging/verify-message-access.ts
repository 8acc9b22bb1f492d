// The guide's verifyMessageAccess: a user sees a thread only while they are a participant who has
// not left it (the rule itself lives in visibility.ts, shared with the thread list and search). Anything else is NOT_FOUND, the same answer as for an id that does not exist, so a
// probe learns nothing. Also loads the facts the policies need, in one query.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  classEnrollments,
  classInstructors,
  messageColumns,
  messageParticipants,
  messageThreads,
  messages,
  users,
  type Message,
  type MessageThread,
  type Role,
} from '@/db/schema';
import { AppError } from '@/platform/errors';
import { domainError } from './errors';
import type { TActorFacts } from './policies';
import { seesThroughParticipant } from './visibility';

export interface TThreadAccess {
  thread: MessageThread;
  participant: typeof messageParticipants.$inferSelect;
  actor: TActorFacts & { name: string };
}

export function threadNotFound(): AppError {
  return domainError('THREAD_NOT_FOUND');
}

export function messageNotFound(): AppError {
  return domainError('MESSAGE_NOT_FOUND');
}

/**
 * True when one of a, b teaches a class the other is currently enrolled in: the relationship that
 * lets an instructor and a student write to each other.
 */
export function sharesClassSql(a: SQL | string, b: SQL | string): SQL<boolean> {
  // Aliased explicitly: drizzle leaves columns unqualified in single-table selects.
  return sql<boolean>`exists (
    select 1 from ${classEnrollments} se
    join ${classInstructors} si on si.class_id = se.class_id
    where se.left_at is null
      and ((si.instructor_id = ${a} and se.student_id = ${b})
        or (si.instructor_id = ${b} and se.student_id = ${a}))
  )`;
}

export async function verifyMessageAccess(
  db: Db,
  { userId, threadId }: { userId: string; threadId: string },
): Promise<TThreadAccess> {
  const other = sql`(select o.user_id from ${messageParticipants} o
    where o.thread_id = ${messageThreads.id} and o.user_id <> ${userId} limit 1)`;
  const [row] = await db
    .select({
      thread: messageThreads,
      participant: messageParticipants,
      name: users.name,
      role: users.role,
      teachesClass: sql<boolean>`exists (select 1 from ${classInstructors}
        where ${classInstructors.classId} = ${messageThreads.classId} and ${classInstructors.instructorId} = ${userId})`,
      isPrimaryInstructor: sql<boolean>`exists (select 1 from ${classInstructors}
        where ${classInstructors.classId} = ${messageThreads.classId} and ${classInstructors.instructorId} = ${userId}
          and ${classInstructors.isPrimary})`,
      sharesClass: sql<boolean>`(${messageThreads.type} = 'DIRECT' and ${sharesClassSql(sql`${userId}`, other)})`,
    })
    .from(messageParticipants)
    .innerJoin(messageThreads, eq(messageThreads.id, messageParticipants.threadId))
    .innerJoin(users, eq(users.id, messageParticipants.userId))
    .where(and(eq(messageParticipants.threadId, threadId), seesThroughParticipant(userId)))
    .limit(1);
  if (!row) throw threadNotFound();
  return {
    thread: row.thread,
    participant: row.participant,
    actor: {
      id: userId,
      name: row.name,
      role: row.role as Role,
      teachesClass: Boolean(row.teachesClass),
      isPrimaryInstructor: Boolean(row.isPrimaryInstructor),
      sharesClass: Boolean(row.sharesClass),
    },
  };
}

/** A message the user may see (its thread passes verifyMessageAccess), with its author and that access. */
export async function verifyMessageVisible(
  db: Db,
  { userId, messageId }: { userId: string; messageId: string },
): Promise<TThreadAccess & { message: Message; author: { name: string; role: Role } }> {
  const [row] = await db
    .select({ message: messageColumns, name: users.name, role: users.role })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(eq(messages.id, messageId))
    .limit(1);
  if (!row) throw messageNotFound();
  try {
    const access = await verifyMessageAccess(db, { userId, threadId: row.message.threadId });
    return { ...access, message: row.message, author: { name: row.name, role: row.role } };
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw messageNotFound();
    throw err;
  }
}
