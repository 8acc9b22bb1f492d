// Building blocks of the demo seed, also used by the tests' factories: backdated threads inserted
// as they stood, messages posted through the real send path, and enrollment with an optional leave.
import type { Db } from '@/db/client';
import { messageParticipants, messageThreads, type MessageThread } from '@/db/schema';
import { enrollStudent as enrollInClass, removeEnrollment } from '@/classroom/enroll-student';
import { sendMessage } from '@/messaging/send-message';

/** Enrolls through the domain, so the student joins the class's CLASS threads; leftAt then removes them. */
export async function enrollStudent(
  db: Db,
  opts: { classId: string; studentId: string; enrolledAt?: Date; leftAt?: Date },
): Promise<void> {
  const { classId, studentId } = opts;
  await enrollInClass({ db }, { classId, studentId, at: opts.enrolledAt });
  if (opts.leftAt) await removeEnrollment({ db }, { classId, studentId, at: opts.leftAt });
}

export interface CreateThreadOptions {
  type: 'DIRECT' | 'CLASS';
  createdById: string;
  /** Everyone in the thread, the creator included or not (it is added). */
  participantIds: string[];
  classId?: string;
  title?: string;
  studentsCanReply?: boolean;
  createdAt?: Date;
}

export async function createThread(db: Db, opts: CreateThreadOptions): Promise<MessageThread> {
  const members = [...new Set([opts.createdById, ...opts.participantIds])];
  const directKey = opts.type === 'DIRECT' ? [...members].sort().join(':') : null;
  return db.transaction(async (tx) => {
    const [thread] = await tx
      .insert(messageThreads)
      .values({
        type: opts.type,
        classId: opts.classId,
        createdById: opts.createdById,
        title: opts.title,
        studentsCanReply: opts.studentsCanReply ?? true,
        directKey,
        createdAt: opts.createdAt,
      })
      .returning();
    if (!thread) throw new Error('thread insert returned nothing');
    await tx.insert(messageParticipants).values(
      members.map((userId) => ({
        threadId: thread.id,
        userId,
        joinedAt: opts.createdAt,
        activityAt: thread.createdAt,
      })),
    );
    return thread;
  });
}

/** Posts messages through the real send path, oldest first. */
export async function postMessages(
  db: Db,
  threadId: string,
  items: Array<{ senderId: string; content: string; createdAt?: Date }>,
): Promise<void> {
  for (const { senderId, ...item } of items)
    await sendMessage({ db }, { threadId, userId: senderId, ...item });
}
