// Demo data for a first run: 2 instructors, 3 classes, 40 students, and a few DIRECT and CLASS
// threads with realistic messages. Built from the same builders the tests' factories use.
import { count, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users, type User } from '@/db/schema';
import { DEFAULT_PASSWORD, createClass, createUser } from '@/classroom/create-account';
import { createThread, enrollStudent, postMessages, type CreateThreadOptions } from './seed-builders';
import { seedHistory } from './seed-history';

type DemoMessage = { senderId: string; content: string; createdAt: Date };

export const DEMO_PASSWORD = DEFAULT_PASSWORD;
export const DEMO_INSTRUCTORS = [
  { name: 'Maya Chen', email: 'maya.chen@example.edu' },
  { name: 'Jonas Okafor', email: 'jonas.okafor@example.edu' },
] as const;

const STUDENT_NAMES = [
  'Sam Rivera',
  'Aisha Khan',
  'Liam Murphy',
  'Sofia Rossi',
  'Noah Kim',
  'Emma Schmidt',
  'Lucas Silva',
  'Olivia Brown',
  'Mateo Garcia',
  'Chloe Martin',
  'Ethan Nguyen',
  'Mia Johnson',
  'Arjun Patel',
  'Isabella Lopez',
  'Kenji Tanaka',
  'Zara Ahmed',
  'Leo Dubois',
  'Amara Obi',
  'Finn Larsen',
  'Nora Haddad',
  'Diego Torres',
  'Hannah Weber',
  'Ravi Sharma',
  'Grace Lee',
  'Omar Farouk',
  'Lena Novak',
  'Jack Wilson',
  'Priya Nair',
  'Hugo Moreau',
  'Yuki Sato',
  'Elena Petrova',
  'Caleb Scott',
  'Fatima Diallo',
  'Max Becker',
  'Ines Costa',
  'Ben Cohen',
  'Ava Walsh',
  'Tariq Aziz',
  'Lily Evans',
  'Marco Bianchi',
];

export const DEMO_STUDENT = { name: 'Sam Rivera', email: 'sam.rivera@example.edu' } as const;

function emailFor(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.edu`;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

export async function hasDemoAccounts(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, DEMO_INSTRUCTORS[0].email));
  return !!row;
}

export async function seedDemo(db: Db): Promise<void> {
  const now = Date.now();
  const ago = (days: number, minutes = 0) => new Date(now - days * 86_400_000 - minutes * 60_000);

  const [maya, jonas] = await Promise.all(
    DEMO_INSTRUCTORS.map((i) => createUser(db, { ...i, role: 'INSTRUCTOR' })),
  );
  if (!maya || !jonas) throw new Error('seed: instructors missing');
  const students: User[] = [];
  for (const name of STUDENT_NAMES) students.push(await createUser(db, { name, email: emailFor(name) }));
  const s = (i: number) => {
    const st = students[i];
    if (!st) throw new Error(`seed: student ${i} missing`);
    return st;
  };

  const algebra = await createClass(db, {
    name: 'Algebra I',
    code: 'ALG-101',
    description: 'Linear equations, functions and graphs.',
    instructors: [{ id: maya.id, isPrimary: true }],
  });
  const biology = await createClass(db, {
    name: 'Biology Foundations',
    code: 'BIO-110',
    description: 'Cells, genetics and ecosystems, with weekly labs.',
    instructors: [
      { id: jonas.id, isPrimary: true },
      { id: maya.id, isPrimary: false },
    ],
  });
  const writing = await createClass(db, {
    name: 'Creative Writing',
    code: 'WRT-120',
    description: 'Short fiction and poetry workshop.',
    instructors: [{ id: jonas.id, isPrimary: true }],
  });

  // Students 0-17 take Algebra, 12-29 Biology, 24-39 Writing: some take two classes.
  const rosters: Array<[string, number, number]> = [
    [algebra.id, 0, 18],
    [biology.id, 12, 30],
    [writing.id, 24, 40],
  ];
  for (const [classId, from, to] of rosters) {
    for (let i = from; i < to; i++)
      await enrollStudent(db, { classId, studentId: s(i).id, enrolledAt: ago(40) });
  }
  // One student left Algebra two weeks ago.
  await enrollStudent(db, { classId: algebra.id, studentId: s(39).id, enrolledAt: ago(40), leftAt: ago(14) });

  const conversations = demoConversations({
    maya,
    jonas,
    s,
    ago,
    algebraId: algebra.id,
    biologyId: biology.id,
  });
  for (const { thread, messages } of conversations) {
    const created = await createThread(db, thread);
    await postMessages(db, created.id, messages);
  }

  // Weeks of history behind it, for the analytics page. The accounts the demo's walkthroughs (and
  // the browser tests) sign in as read all of it, so their unread figures stay as above.
  const featured = new Set(FEATURED_STUDENTS.map(emailFor));
  const protectedIds = new Set(students.filter((st) => featured.has(st.email)).map((st) => st.id));
  const roster = (from: number, to: number) => students.slice(from, to);
  const quiet = (list: User[]) => list.filter((st) => !protectedIds.has(st.id));
  await seedHistory(db, {
    now,
    protectedIds,
    classes: [
      { id: algebra.id, name: 'Algebra I', instructors: [maya], students: roster(0, 18) },
      { id: biology.id, name: 'Biology Foundations', instructors: [jonas, maya], students: roster(12, 30) },
      { id: writing.id, name: 'Creative Writing', instructors: [jonas], students: roster(24, 39) },
    ],
    direct: [
      { instructor: maya, students: quiet(roster(2, 10)) },
      { instructor: jonas, students: quiet([...roster(12, 16), ...roster(30, 38)]).slice(0, 8) },
    ],
  });
}

/** Students the demo walkthroughs and the browser tests sign in as: their seeded state is fixed. */
const FEATURED_STUDENTS = (
  'Sam Rivera, Aisha Khan, Kenji Tanaka, Finn Larsen, Nora Haddad, Diego Torres, Hannah Weber, ' +
  'Ravi Sharma, Grace Lee, Omar Farouk, Lena Novak, Jack Wilson, Priya Nair, Hugo Moreau, Yuki Sato, ' +
  'Caleb Scott, Ben Cohen, Ava Walsh'
).split(', ');

/** The demo's conversations, oldest activity first within each, as the seed posts them. */
function demoConversations({
  maya,
  jonas,
  s,
  ago,
  algebraId,
  biologyId,
}: {
  maya: User;
  jonas: User;
  s: (i: number) => User;
  ago: (days: number, minutes?: number) => Date;
  algebraId: string;
  biologyId: string;
}): Array<{ thread: CreateThreadOptions; messages: DemoMessage[] }> {
  // Three DIRECT conversations, an announcement and a discussion, with replies hours and days apart.
  return [
    {
      thread: {
        type: 'DIRECT',
        createdById: maya.id,
        participantIds: [s(0).id],
        createdAt: ago(3),
      },
      messages: [
        {
          senderId: maya.id,
          content: 'Hi Sam, I noticed you missed the quiz on Tuesday. Is everything okay?',
          createdAt: ago(3),
        },
        {
          senderId: s(0).id,
          content: 'Hi Dr. Chen, sorry! I was sick. Can I still take it?',
          createdAt: ago(3, -42),
        },
        {
          senderId: maya.id,
          content: 'Of course. You can take it during office hours on Thursday, 2–4pm.',
          createdAt: ago(2),
        },
        { senderId: s(0).id, content: 'Thank you! I will be there at 2.', createdAt: ago(0, 95) },
      ],
    },
    {
      thread: {
        type: 'DIRECT',
        createdById: s(1).id,
        participantIds: [maya.id],
        createdAt: ago(1),
      },
      messages: [
        {
          senderId: s(1).id,
          content:
            'Hello! Could you explain problem 7 from the homework? I get x = 4 but the answer key says 3.',
          createdAt: ago(1),
        },
        {
          senderId: s(1).id,
          content: 'Never mind the sign, I found it. But why do we flip the inequality?',
          createdAt: ago(0, 30),
        },
      ],
    },
    {
      thread: {
        type: 'DIRECT',
        createdById: jonas.id,
        participantIds: [s(25).id],
        createdAt: ago(5),
      },
      messages: [
        {
          senderId: jonas.id,
          content: 'Great lab report, Lena. Your discussion of the controls was excellent.',
          createdAt: ago(5),
        },
        {
          senderId: s(25).id,
          content: 'Thanks, Mr. Okafor! That section took me the longest.',
          createdAt: ago(4),
        },
      ],
    },
    {
      thread: {
        type: 'CLASS',
        classId: algebraId,
        createdById: maya.id,
        title: 'Welcome to Algebra I',
        studentsCanReply: false,
        participantIds: Array.from({ length: 18 }, (_, i) => s(i).id),
        createdAt: ago(10),
      },
      messages: [
        {
          senderId: maya.id,
          content:
            'Welcome, everyone! The syllabus and the first problem set are in Materials.\nOffice hours: Tuesdays and Thursdays, 2–4pm.',
          createdAt: ago(10),
        },
        {
          senderId: maya.id,
          content: 'Reminder: the first quiz is next Tuesday. It covers sections 1.1–1.4.',
          createdAt: ago(6),
        },
      ],
    },
    {
      thread: {
        type: 'CLASS',
        classId: biologyId,
        createdById: jonas.id,
        title: 'Lab 2 questions',
        studentsCanReply: true,
        participantIds: [maya.id, ...Array.from({ length: 18 }, (_, i) => s(12 + i).id)],
        createdAt: ago(2),
      },
      messages: [
        {
          senderId: jonas.id,
          content: 'Post your questions about the osmosis lab here so everyone benefits from the answers.',
          createdAt: ago(2),
        },
        {
          senderId: s(13).id,
          content: 'How long should the potato slices sit in the salt solution?',
          createdAt: ago(1, 300),
        },
        {
          senderId: jonas.id,
          content: 'At least 30 minutes. Measure the mass before and after.',
          createdAt: ago(1, 240),
        },
        { senderId: s(20).id, content: 'Do we need to repeat the trial three times?', createdAt: ago(0, 50) },
      ],
    },
  ];
}

export function demoLoginsText(): string {
  const lines = [
    'Demo accounts (password for all: ' + DEMO_PASSWORD + ')',
    ...DEMO_INSTRUCTORS.map((i) => `  instructor  ${i.email}`),
    `  student     ${DEMO_STUDENT.email}   (and 39 more students, e.g. aisha.khan@example.edu)`,
  ];
  return lines.join('\n');
}
