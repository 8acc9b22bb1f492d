// The dashboard figures, rosters and thread lists, on the demo data, in both database modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { classes, users, type User } from '@/db/schema';
import { DEMO_INSTRUCTORS, DEMO_STUDENT, seedDemo } from '@/server/seed';
import {
  getClassRoster,
  getInstructorDashboardStats,
  listInstructorClasses,
  listInstructorStudents,
} from '@/classroom/instructor-queries';
import { listThreads } from '@/messaging/list-threads';
import { listStudentClasses } from '@/classroom/student-queries';
import { sendMessage } from '@/messaging/send-message';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

describe.each(dbKinds())('read models on %s', (kind) => {
  let t: TestDatabase;
  let maya: User;
  let jonas: User;
  let sam: User;
  const byEmail = async (email: string) => {
    const [u] = await t.db.select().from(users).where(eq(users.email, email));
    if (!u) throw new Error(`missing ${email}`);
    return u;
  };

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await seedDemo(t.db);
    maya = await byEmail(DEMO_INSTRUCTORS[0].email);
    jonas = await byEmail(DEMO_INSTRUCTORS[1].email);
    sam = await byEmail(DEMO_STUDENT.email);
  });
  afterAll(async () => t?.dispose());

  it('computes the dashboard figures from the database', async () => {
    expect(await getInstructorDashboardStats({ db: t.db }, { userId: maya.id })).toEqual({
      unreadMessages: 7,
      // The 4 recent threads and the seed's weeks of history (8 DIRECT, 2 weekly updates, a lab).
      activeThreads: 15,
      classes: 2,
      students: 30,
    });
    expect(await getInstructorDashboardStats({ db: t.db }, { userId: jonas.id })).toMatchObject({
      classes: 2,
      students: 28,
    });
  });

  it('unread counts follow the read pointer: a reply clears what came before it', async () => {
    const { threads } = await listThreads({ db: t.db }, { userId: maya.id });
    const aisha = threads.find((th) => th.displayTitle === 'Aisha Khan');
    expect(aisha?.unreadCount).toBe(2);
    await sendMessage(
      { db: t.db },
      {
        threadId: aisha!.id,
        userId: maya.id,
        content: 'Good question — see page 42.',
      },
    );
    const after = await listThreads({ db: t.db }, { userId: maya.id });
    expect(after.threads[0]).toMatchObject({
      id: aisha!.id,
      unreadCount: 0,
      lastMessage: expect.objectContaining({ preview: 'Good question — see page 42.' }),
    });
    expect((await getInstructorDashboardStats({ db: t.db }, { userId: maya.id })).unreadMessages).toBe(5);
  });

  it('pages through threads with a keyset cursor, each thread exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listThreads({ db: t.db }, { userId: maya.id, cursor, limit: 1 });
      seen.push(...page.threads.map((th) => th.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await listThreads({ db: t.db }, { userId: maya.id, limit: 100 });
    expect(seen).toEqual(all.threads.map((th) => th.id));
    expect(new Set(seen).size).toBe(15);
    // A malformed cursor is the first page, not an error.
    expect((await listThreads({ db: t.db }, { userId: maya.id, cursor: '%%%' })).threads).toHaveLength(15);
  });

  it('lists classes and paginates rosters; a class the instructor does not teach is not shown', async () => {
    const mine = await listInstructorClasses({ db: t.db }, { userId: maya.id });
    expect(mine.map((c) => [c.code, c.isPrimary, c.enrolledCount])).toEqual([
      ['ALG-101', true, 18],
      ['BIO-110', false, 18],
    ]);
    const algebra = mine[0]!;
    const p1 = await getClassRoster(
      { db: t.db },
      {
        userId: maya.id,
        classId: algebra.id,
        page: 1,
        pageSize: 10,
      },
    );
    const p2 = await getClassRoster(
      { db: t.db },
      {
        userId: maya.id,
        classId: algebra.id,
        page: 2,
        pageSize: 10,
      },
    );
    expect([p1?.rows.length, p2?.rows.length, p1?.total, p1?.pageCount]).toEqual([10, 8, 18, 2]);
    expect(new Set([...p1!.rows, ...p2!.rows].map((r) => r.studentId)).size).toBe(18);
    const [writing] = await t.db.select().from(classes).where(eq(classes.code, 'WRT-120'));
    expect(await getClassRoster({ db: t.db }, { userId: maya.id, classId: writing!.id })).toBeNull();
  });

  it('lists, searches and paginates an instructor’s students; a student who left is not among them', async () => {
    const p1 = await listInstructorStudents({ db: t.db }, { userId: maya.id, page: 1 });
    const p2 = await listInstructorStudents({ db: t.db }, { userId: maya.id, page: 2 });
    expect([p1.rows.length, p2.rows.length, p1.total]).toEqual([20, 10, 30]);
    expect(p1.rows.some((s) => s.name === 'Marco Bianchi')).toBe(false); // left Algebra
    const found = await listInstructorStudents({ db: t.db }, { userId: maya.id, query: 'RIVERA' });
    expect(found.rows.map((s) => s.email)).toEqual([DEMO_STUDENT.email]);
    expect((await listInstructorStudents({ db: t.db }, { userId: maya.id, query: '%' })).total).toBe(0);
    expect((await listInstructorStudents({ db: t.db }, { userId: maya.id, page: 99 })).page).toBe(2);
  });

  it('shows a student their current classes with instructors', async () => {
    const mine = await listStudentClasses({ db: t.db }, { userId: sam.id });
    expect(mine.map((c) => c.code)).toEqual(['ALG-101']);
    expect(mine[0]?.instructors.map((i) => i.name)).toEqual(['Maya Chen']);
  });
});
