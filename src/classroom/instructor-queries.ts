// Read models for the instructor pages. Plain functions of (db, …) so tests and scripts can call them;
// every list is bounded and every figure is aggregated in SQL (no per-row queries).
import { seesThroughParticipant } from '@/messaging/visibility';
import { and, asc, count, countDistinct, eq, gte, ilike, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { countUnreadTotals, UNREAD_COUNT_CAP } from '@/messaging/count-unread';
import { likePattern } from '@/platform/sql';
import {
  classEnrollments,
  classInstructors,
  classes,
  messageParticipants,
  messageThreads,
  messages,
  users,
  type ThreadType,
} from '@/db/schema';
import type { MessagingContext } from '@/messaging/context';

const DAY_MS = 24 * 60 * 60 * 1000;
export const PAGE_SIZE = 20;
/** Upper bound for lists that are not paginated (an instructor's classes, a student's classes). */
export const MAX_CLASSES = 100;

// ---- dashboard ----------------------------------------------------------------------------------

/** For a join of class_enrollments with class_instructors: current students of `instructorId`'s classes. */
function currentEnrollmentsTaughtBy(instructorId: string) {
  return and(eq(classInstructors.instructorId, instructorId), isNull(classEnrollments.leftAt));
}

/** For message_participants: the rows of the threads `userId` still takes part in (sees). */
const threadsOf = seesThroughParticipant;

/**
 * For a join of message_participants with messages: the live messages written by others in the
 * threads `userId` still takes part in.
 */
function othersMessagesInThreadsOf(userId: string) {
  return and(threadsOf(userId), ne(messages.senderId, userId), isNull(messages.deletedAt));
}

export const ZDashboardStats = z
  .object({
    unreadMessages: z
      .number()
      .int()
      .describe(
        `Unread messages from others across the threads the instructor is in: a sum of per-thread counts that stop at ${UNREAD_COUNT_CAP}, so ${UNREAD_COUNT_CAP} or more means at least that many`,
      ),
    activeThreads: z
      .number()
      .int()
      .describe('Threads the instructor is in with a message in the last 30 days'),
    classes: z.number().int(),
    students: z
      .number()
      .int()
      .describe('Distinct students currently enrolled in any of the instructor’s classes'),
  })
  .meta({ id: 'DashboardStats' });
export type TDashboardStats = z.infer<typeof ZDashboardStats>;

export async function getInstructorDashboardStats(
  ctx: MessagingContext,
  { userId: instructorId, now = new Date() }: { userId: string; now?: Date },
): Promise<TDashboardStats> {
  const { db } = ctx;
  const since = new Date(now.getTime() - 30 * DAY_MS);
  const [unread, active, taught, students] = await Promise.all([
    // Every thread the instructor is in, muted and archived ones too (the inbox badge leaves those out).
    countUnreadTotals({ db }, { userId: instructorId, includeMutedAndArchived: true }),
    db
      .select({ n: count() })
      .from(messageParticipants)
      .innerJoin(messageThreads, eq(messageThreads.id, messageParticipants.threadId))
      .where(and(threadsOf(instructorId), gte(messageThreads.lastMessageAt, since))),
    db.select({ n: count() }).from(classInstructors).where(eq(classInstructors.instructorId, instructorId)),
    db
      .select({ n: countDistinct(classEnrollments.studentId) })
      .from(classEnrollments)
      .innerJoin(classInstructors, eq(classInstructors.classId, classEnrollments.classId))
      .where(currentEnrollmentsTaughtBy(instructorId)),
  ]);
  return {
    unreadMessages: unread.unreadMessages,
    activeThreads: active[0]?.n ?? 0,
    classes: taught[0]?.n ?? 0,
    students: students[0]?.n ?? 0,
  };
}

// ---- analytics ----------------------------------------------------------------------------------

export interface InstructorMessagingAnalytics {
  sentLast7Days: number;
  sentLast30Days: number;
  /** Messages from others in the instructor's threads in the last 30 days. */
  receivedLast30Days: number;
  threadsByType: Record<ThreadType, number>;
}

export async function getInstructorMessagingAnalytics(
  ctx: MessagingContext,
  { userId: instructorId, now = new Date() }: { userId: string; now?: Date },
): Promise<InstructorMessagingAnalytics> {
  const { db } = ctx;
  const since7 = new Date(now.getTime() - 7 * DAY_MS).toISOString();
  const since30 = new Date(now.getTime() - 30 * DAY_MS);
  const [sent, received, byType] = await Promise.all([
    db
      .select({
        last7: sql<number>`count(*) filter (where ${messages.createdAt} >= ${since7}::timestamptz)`.mapWith(
          Number,
        ),
        last30: count(),
      })
      .from(messages)
      .where(
        and(
          eq(messages.senderId, instructorId),
          isNull(messages.deletedAt),
          gte(messages.createdAt, since30),
        ),
      ),
    db
      .select({ n: count() })
      .from(messageParticipants)
      .innerJoin(messages, eq(messages.threadId, messageParticipants.threadId))
      .where(and(othersMessagesInThreadsOf(instructorId), gte(messages.createdAt, since30))),
    db
      .select({ type: messageThreads.type, n: count() })
      .from(messageParticipants)
      .innerJoin(messageThreads, eq(messageThreads.id, messageParticipants.threadId))
      .where(threadsOf(instructorId))
      .groupBy(messageThreads.type),
  ]);
  const threadsByType: Record<ThreadType, number> = { DIRECT: 0, CLASS: 0 };
  for (const row of byType) threadsByType[row.type] = row.n;
  return {
    sentLast7Days: sent[0]?.last7 ?? 0,
    sentLast30Days: sent[0]?.last30 ?? 0,
    receivedLast30Days: received[0]?.n ?? 0,
    threadsByType,
  };
}

// ---- classes and rosters ------------------------------------------------------------------------

export interface InstructorClass {
  id: string;
  name: string;
  code: string;
  description: string | null;
  isPrimary: boolean;
  enrolledCount: number;
}

/** What a class thread's author chooses from: the classes they teach, as the API and the compose form see them. */
export const ZTaughtClass = z
  .object({
    id: z.string(),
    name: z.string(),
    code: z.string(),
    isPrimary: z.boolean().describe('Only a primary instructor may start a CLASS thread'),
    enrolledCount: z.number().int().describe('Students currently enrolled'),
  })
  .meta({ id: 'TaughtClass' });
export type TTaughtClass = z.infer<typeof ZTaughtClass>;

/** The classes an instructor teaches, by name, with current enrolment counts (at most MAX_CLASSES). */
export async function listInstructorClasses(
  ctx: MessagingContext,
  { userId: instructorId }: { userId: string },
): Promise<InstructorClass[]> {
  const { db } = ctx;
  return db
    .select({
      id: classes.id,
      name: classes.name,
      code: classes.code,
      description: classes.description,
      isPrimary: classInstructors.isPrimary,
      enrolledCount: count(classEnrollments.id),
    })
    .from(classInstructors)
    .innerJoin(classes, eq(classes.id, classInstructors.classId))
    .leftJoin(
      classEnrollments,
      and(eq(classEnrollments.classId, classes.id), isNull(classEnrollments.leftAt)),
    )
    .where(eq(classInstructors.instructorId, instructorId))
    .groupBy(classes.id, classInstructors.id)
    .orderBy(asc(classes.name), asc(classes.id))
    .limit(MAX_CLASSES);
}

export interface RosterEntry {
  studentId: string;
  name: string;
  email: string;
  enrolledAt: Date;
}

export interface Paged<T> {
  rows: T[];
  total: number;
  /** The page actually returned, clamped to 1…pageCount. */
  page: number;
  pageCount: number;
  pageSize: number;
}

function clampPage(page: number, total: number, pageSize: number): { page: number; pageCount: number } {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const wanted = Number.isFinite(page) ? Math.trunc(page) : 1;
  return { page: Math.min(Math.max(wanted, 1), pageCount), pageCount };
}

export interface ClassRosterOptions {
  userId: string;
  classId: string;
  page?: number;
  pageSize?: number;
}

/**
 * Currently enrolled students of one class, by name. Returns null when the instructor does not
 * teach the class, so a class id from a URL never leaks another class's roster.
 */
export async function getClassRoster(
  ctx: MessagingContext,
  { userId: instructorId, classId, page = 1, pageSize = PAGE_SIZE }: ClassRosterOptions,
): Promise<Paged<RosterEntry> | null> {
  const { db } = ctx;
  const [teaches] = await db
    .select({ id: classInstructors.id })
    .from(classInstructors)
    .where(and(eq(classInstructors.classId, classId), eq(classInstructors.instructorId, instructorId)))
    .limit(1);
  if (!teaches) return null;

  const current = and(eq(classEnrollments.classId, classId), isNull(classEnrollments.leftAt));
  const [totalRow] = await db.select({ n: count() }).from(classEnrollments).where(current);
  const total = totalRow?.n ?? 0;
  const clamped = clampPage(page, total, pageSize);
  const rows = await db
    .select({
      studentId: users.id,
      name: users.name,
      email: users.email,
      enrolledAt: classEnrollments.enrolledAt,
    })
    .from(classEnrollments)
    .innerJoin(users, eq(users.id, classEnrollments.studentId))
    .where(current)
    .orderBy(asc(users.name), asc(users.id))
    .limit(pageSize)
    .offset((clamped.page - 1) * pageSize);
  return { rows, total, pageSize, ...clamped };
}

// ---- students -----------------------------------------------------------------------------------

export interface InstructorStudent {
  id: string;
  name: string;
  email: string;
  /** The instructor's classes this student is currently enrolled in, by name. */
  classes: { id: string; name: string; code: string }[];
}

export interface ListInstructorStudentsOptions {
  userId: string;
  /** Case-insensitive substring of the name or email. */
  query?: string;
  page?: number;
  pageSize?: number;
}

/** Distinct students currently enrolled in any of the instructor's classes, by name, paginated. */
export async function listInstructorStudents(
  ctx: MessagingContext,
  { userId: instructorId, query, page = 1, pageSize = PAGE_SIZE }: ListInstructorStudentsOptions,
): Promise<Paged<InstructorStudent>> {
  const { db } = ctx;
  const q = query?.trim().slice(0, 100);
  const where = and(
    currentEnrollmentsTaughtBy(instructorId),
    q ? or(ilike(users.name, likePattern(q)), ilike(users.email, likePattern(q))) : undefined,
  );
  const base = () =>
    db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(classEnrollments)
      .innerJoin(classInstructors, eq(classInstructors.classId, classEnrollments.classId))
      .innerJoin(users, eq(users.id, classEnrollments.studentId));

  const [totalRow] = await db
    .select({ n: countDistinct(classEnrollments.studentId) })
    .from(classEnrollments)
    .innerJoin(classInstructors, eq(classInstructors.classId, classEnrollments.classId))
    .innerJoin(users, eq(users.id, classEnrollments.studentId))
    .where(where);
  const total = totalRow?.n ?? 0;
  const clamped = clampPage(page, total, pageSize);

  const students = await base()
    .where(where)
    .groupBy(users.id)
    .orderBy(asc(users.name), asc(users.id))
    .limit(pageSize)
    .offset((clamped.page - 1) * pageSize);

  const ids = students.map((s) => s.id);
  const memberships = ids.length
    ? await db
        .select({
          studentId: classEnrollments.studentId,
          id: classes.id,
          name: classes.name,
          code: classes.code,
        })
        .from(classEnrollments)
        .innerJoin(classInstructors, eq(classInstructors.classId, classEnrollments.classId))
        .innerJoin(classes, eq(classes.id, classEnrollments.classId))
        .where(and(currentEnrollmentsTaughtBy(instructorId), inArray(classEnrollments.studentId, ids)))
        .orderBy(asc(classes.name), asc(classes.id))
    : [];

  const byStudent = new Map<string, InstructorStudent['classes']>();
  for (const m of memberships) {
    const list = byStudent.get(m.studentId) ?? [];
    list.push({ id: m.id, name: m.name, code: m.code });
    byStudent.set(m.studentId, list);
  }
  return {
    rows: students.map((s) => ({ ...s, classes: byStudent.get(s.id) ?? [] })),
    total,
    pageSize,
    ...clamped,
  };
}
