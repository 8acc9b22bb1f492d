// Factories for tests: the production builders of src/ (accounts, classes, enrollment, backdated
// threads, posting through the send path) plus test-only compositions. Every email is unique, so
// specs can run in parallel against one database.
import type { Db } from '@/db/client';
import type { Class, MessageThread, User } from '@/db/schema';
import { createClass, createUser } from '@/classroom/create-account';
import { createThread, enrollStudent } from '@/server/seed-builders';

export { DEFAULT_PASSWORD, createClass, createUser, uniqueSuffix } from '@/classroom/create-account';
export type { CreateClassOptions, CreateUserOptions } from '@/classroom/create-account';
export { createThread, enrollStudent, postMessages } from '@/server/seed-builders';
export type { CreateThreadOptions } from '@/server/seed-builders';

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
