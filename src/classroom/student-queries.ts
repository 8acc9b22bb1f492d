// Read models for the student pages. Plain functions of (db, …), like instructor-queries.ts.
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';

import { classEnrollments, classInstructors, classes, users } from '@/db/schema';
import { MAX_CLASSES } from '@/classroom/instructor-queries';
import type { MessagingContext } from '@/messaging/context';

export interface StudentClass {
  id: string;
  name: string;
  code: string;
  description: string | null;
  enrolledAt: Date;
  /** Primary instructor first, then by name. */
  instructors: { id: string; name: string; isPrimary: boolean }[];
}

/** The classes a student is currently enrolled in, by name (at most MAX_CLASSES). Two queries in all. */
export async function listStudentClasses(
  ctx: MessagingContext,
  { userId: studentId }: { userId: string },
): Promise<StudentClass[]> {
  const { db } = ctx;
  const rows = await db
    .select({
      id: classes.id,
      name: classes.name,
      code: classes.code,
      description: classes.description,
      enrolledAt: classEnrollments.enrolledAt,
    })
    .from(classEnrollments)
    .innerJoin(classes, eq(classes.id, classEnrollments.classId))
    .where(and(eq(classEnrollments.studentId, studentId), isNull(classEnrollments.leftAt)))
    .orderBy(asc(classes.name), asc(classes.id))
    .limit(MAX_CLASSES);
  if (rows.length === 0) return [];

  const teaching = await db
    .select({
      classId: classInstructors.classId,
      id: users.id,
      name: users.name,
      isPrimary: classInstructors.isPrimary,
    })
    .from(classInstructors)
    .innerJoin(users, eq(users.id, classInstructors.instructorId))
    .where(
      inArray(
        classInstructors.classId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(desc(classInstructors.isPrimary), asc(users.name), asc(users.id));

  const byClass = new Map<string, StudentClass['instructors']>();
  for (const t of teaching) {
    const list = byClass.get(t.classId) ?? [];
    list.push({ id: t.id, name: t.name, isPrimary: t.isPrimary });
    byClass.set(t.classId, list);
  }
  return rows.map((r) => ({ ...r, instructors: byClass.get(r.id) ?? [] }));
}
