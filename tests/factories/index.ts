// Factories for tests and for the demo seed: every email is unique, so specs can run in parallel
// against one database. Users get a real better-auth credential account and can sign in.
import { randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import type { Db } from '@/db/client';
import {
  accounts,
  classInstructors,
  classes,
  messageParticipants,
  messageThreads,
  users,
  type Class,
  type MessageThread,
  type Role,
  type User,
} from '@/db/schema';
import { enrollStudent as enrollInClass, removeEnrollment } from '@/messaging/enroll-student';
import { sendMessage } from '@/messaging/send-message';

export const DEFAULT_PASSWORD = 'classroom-demo';

const hashes = new Map<string, Promise<string>>();
function hashOnce(password: string): Promise<string> {
  // scrypt is deliberately slow; one hash per distinct password keeps a 40-user seed fast.
  let h = hashes.get(password);
  if (!h) hashes.set(password, (h = hashPassword(password)));
  return h;
}

export function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

export interface CreateUserOptions {
  role?: Role;
  name?: string;
  email?: string;
  password?: string;
  createdAt?: Date;
}

export async function createUser(db: Db, opts: CreateUserOptions = {}): Promise<User> {
  const role = opts.role ?? 'STUDENT';
  const suffix = uniqueSuffix();
  const name = opts.name ?? `${role === 'STUDENT' ? 'Student' : 'Instructor'} ${suffix}`;
  const email = (opts.email ?? `${role.toLowerCase()}-${suffix}@test.example`).toLowerCase();
  const password = await hashOnce(opts.password ?? DEFAULT_PASSWORD);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ name, email, role, emailVerified: true, createdAt: opts.createdAt })
      .returning();
    if (!user) throw new Error('user insert returned nothing');
    await tx
      .insert(accounts)
      .values({ accountId: user.id, providerId: 'credential', userId: user.id, password });
    return user;
  });
}

export interface CreateClassOptions {
  name?: string;
  code?: string;
  description?: string;
  /** The first instructor listed is the primary one unless isPrimary says otherwise. */
  instructors?: Array<{ id: string; isPrimary?: boolean }>;
}

export async function createClass(db: Db, opts: CreateClassOptions = {}): Promise<Class> {
  const suffix = uniqueSuffix();
  const [cls] = await db
    .insert(classes)
    .values({
      name: opts.name ?? `Class ${suffix}`,
      code: opts.code ?? `C-${suffix}`.toUpperCase(),
      description: opts.description,
    })
    .returning();
  if (!cls) throw new Error('class insert returned nothing');
  const instructors = opts.instructors ?? [];
  if (instructors.length) {
    await db.insert(classInstructors).values(
      instructors.map((i, n) => ({
        classId: cls.id,
        instructorId: i.id,
        isPrimary: i.isPrimary ?? n === 0,
      })),
    );
  }
  return cls;
}

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
    await tx
      .insert(messageParticipants)
      .values(members.map((userId) => ({ threadId: thread.id, userId, joinedAt: opts.createdAt })));
    return thread;
  });
}

/** Posts messages through the real send path, oldest first. */
export async function postMessages(
  db: Db,
  threadId: string,
  items: Array<{ senderId: string; content: string; createdAt?: Date }>,
): Promise<void> {
  for (const item of items) await sendMessage({ db }, { threadId, ...item });
}

/**
 * An instructor and a student who share a class, and their DIRECT thread: the smallest setup in
 * which both may post.
 */
export async function createDirectPair(db: Db): Promise<{
  instructor: User;
  student: User;
  cls: Class;
  thread: MessageThread;
}> {
  const instructor = await createUser(db, { role: 'INSTRUCTOR' });
  const student = await createUser(db);
  const cls = await createClass(db, { instructors: [{ id: instructor.id }] });
  await enrollStudent(db, { classId: cls.id, studentId: student.id });
  const thread = await createThread(db, {
    type: 'DIRECT',
    createdById: instructor.id,
    participantIds: [student.id],
  });
  return { instructor, student, cls, thread };
}
