// Several weeks of demo history behind the first-run seed, so the analytics page has trends,
// response times and engagement to show on first start: weekly announcements in each class (read by
// most students within hours, by some days later, by a few never), a lab discussion, and DIRECT
// questions answered after realistic delays (minutes to a day and a half; a couple still waiting).
// Deterministic (a seeded generator), and only students the browser tests never sign in as have
// anything unread, so the seeded figures the specs check do not move.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import type { User } from '@/db/schema';
import { createThread, postMessages } from './seed-builders';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEKS = 6;

/** mulberry32: a small seeded generator, so every first run builds the same history. */
function generator(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface THistoryClass {
  id: string;
  name: string;
  instructors: User[];
  students: User[];
}

export async function seedHistory(
  db: Db,
  opts: {
    now: number;
    classes: THistoryClass[];
    /** DIRECT conversations to invent: an instructor and students (never signed in as by tests). */
    direct: Array<{ instructor: User; students: User[] }>;
    /** Students the browser tests sign in as: they read everything, so their figures stay put. */
    protectedIds: ReadonlySet<string>;
  },
): Promise<void> {
  const random = generator(20260301);
  const { now } = opts;
  // A school-day instant `daysAgo` back, between 8:00 and 21:00 UTC.
  const schoolTime = (daysAgo: number) => {
    const day = new Date(now - daysAgo * DAY);
    day.setUTCHours(8 + Math.floor(random() * 13), Math.floor(random() * 60), 0, 0);
    const dow = day.getUTCDay();
    if (dow === 0 || dow === 6) day.setUTCDate(day.getUTCDate() + (dow === 0 ? 1 : 2));
    return Math.min(day.getTime(), now - 2 * HOUR);
  };
  // Minutes to a day and a half, median about 3 h: how long an instructor takes to answer.
  const replyDelay = () => Math.min(36 * HOUR, Math.exp(Math.log(3 * HOUR) + 1.1 * gaussian(random)));

  for (const cls of opts.classes) {
    const [lead] = cls.instructors;
    if (!lead) continue;
    const participants = [...cls.instructors.slice(1), ...cls.students].map((u) => u.id);
    const updates = await createThread(db, {
      type: 'CLASS',
      classId: cls.id,
      createdById: lead.id,
      title: `${cls.name}: weekly updates`,
      studentsCanReply: false,
      participantIds: participants,
      createdAt: new Date(now - (WEEKS * 7 + 1) * DAY),
    });
    const posts = Array.from({ length: WEEKS }, (_, w) => ({
      senderId: lead.id,
      content: WEEKLY[w % WEEKLY.length]!.replace('{class}', cls.name),
      createdAt: new Date(schoolTime((WEEKS - w) * 7 - 1)),
    }));
    await postMessages(db, updates.id, posts);
    await readAnnouncements(db, {
      threadId: updates.id,
      posts: posts.map((p) => p.createdAt.getTime()),
      students: cls.students,
      protectedIds: opts.protectedIds,
      instructors: cls.instructors,
      random,
      now,
    });
  }

  // A lab discussion in the first class that has one, three weeks back.
  const lab = opts.classes.find((c) => c.students.length >= 6);
  if (lab) {
    const [lead] = lab.instructors;
    const voices = lab.students.filter((s) => !opts.protectedIds.has(s.id)).slice(0, 5);
    if (lead && voices.length > 0) {
      const thread = await createThread(db, {
        type: 'CLASS',
        classId: lab.id,
        createdById: lead.id,
        title: 'Lab 1: results and questions',
        participantIds: [...lab.instructors.slice(1), ...lab.students].map((u) => u.id),
        createdAt: new Date(now - 22 * DAY),
      });
      let t = schoolTime(21);
      const items = [
        { senderId: lead.id, content: 'Share your lab 1 results here and ask anything.', at: t },
      ];
      for (const [i, v] of voices.entries()) {
        t += (1 + random() * 5) * HOUR;
        items.push({ senderId: v.id, content: LAB_QUESTIONS[i % LAB_QUESTIONS.length]!, at: t });
        if (i % 2 === 1) {
          t += replyDelay();
          items.push({ senderId: lead.id, content: LAB_ANSWERS[i % LAB_ANSWERS.length]!, at: t });
        }
      }
      t += replyDelay();
      items.push({ senderId: lead.id, content: 'Good discussion, everyone. See you in the lab.', at: t });
      await postMessages(
        db,
        thread.id,
        items.map((m) => ({ senderId: m.senderId, content: m.content, createdAt: new Date(m.at) })),
      );
      await markAllRead(db, thread.id, now);
    }
  }

  // DIRECT questions: one to three episodes per student over the weeks; two are still waiting.
  let waiting = 2;
  for (const { instructor, students } of opts.direct) {
    for (const student of students) {
      const thread = await createThread(db, {
        type: 'DIRECT',
        createdById: student.id,
        participantIds: [instructor.id],
        createdAt: new Date(now - WEEKS * 7 * DAY),
      });
      const episodes = 1 + Math.floor(random() * 3);
      const items: Array<{ senderId: string; content: string; createdAt: Date }> = [];
      let last = 0;
      for (let e = 0; e < episodes; e++) {
        // Earlier episodes four to six weeks back; the last one within the past three weeks, so every
        // conversation counts as active on the dashboard (a figure that must not depend on the day).
        const daysAgo =
          e === episodes - 1 ? 3 + Math.floor(random() * 15) : 40 - e * 8 - Math.floor(random() * 5);
        let t = Math.max(schoolTime(daysAgo), last + HOUR);
        items.push({ senderId: student.id, content: pick(random, QUESTIONS), createdAt: new Date(t) });
        if (random() < 0.35) {
          t += (5 + random() * 40) * 60_000;
          items.push({ senderId: student.id, content: pick(random, FOLLOW_UPS), createdAt: new Date(t) });
        }
        const lastEpisode = e === episodes - 1;
        if (lastEpisode && waiting > 0 && random() < 0.3) {
          waiting--;
          last = t;
          continue;
        }
        t += replyDelay();
        if (t > now - HOUR) t = now - HOUR;
        items.push({ senderId: instructor.id, content: pick(random, ANSWERS), createdAt: new Date(t) });
        last = t;
      }
      items.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      await postMessages(
        db,
        thread.id,
        items.filter((m) => m.createdAt.getTime() < now),
      );
      await markAllRead(db, thread.id, now);
    }
  }
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

/** Everyone in the thread has read everything in it, by the time of its last message. */
async function markAllRead(db: Db, threadId: string, now: number): Promise<void> {
  await db.execute(sql`update message_participants p set last_read_seq = t.last_message_seq,
      last_read_at = least(t.last_message_at + interval '2 hours', ${new Date(now).toISOString()}::timestamptz),
      last_seen_at = least(t.last_message_at + interval '2 hours', ${new Date(now).toISOString()}::timestamptz)
    from message_threads t where t.id = p.thread_id and p.thread_id = ${threadId}`);
}

/**
 * Who read which announcement and when: a read pointer per student, and a receipt per announcement
 * with its time (the analytics' "within 24 h"). Most read within hours, some days later, a few never
 * read the last ones; students the tests sign in as have read them all.
 */
async function readAnnouncements(
  db: Db,
  opts: {
    threadId: string;
    posts: number[];
    students: User[];
    instructors: User[];
    protectedIds: ReadonlySet<string>;
    random: () => number;
    now: number;
  },
): Promise<void> {
  const { random, now } = opts;
  const receipts: Array<{ userId: string; seq: number; at: number }> = [];
  const pointers: Array<{ userId: string; seq: number; at: number }> = [];
  for (const student of opts.students) {
    const keen = opts.protectedIds.has(student.id) ? 1 : random();
    let seq = 0;
    let at = 0;
    for (const [i, postedAt] of opts.posts.entries()) {
      // A less keen student reads later, and may stop reading the most recent ones.
      const delay = keen > 0.6 ? (0.3 + random() * 8) * HOUR : (6 + random() * 60) * HOUR;
      const readAt = postedAt + delay;
      const skips = keen < 0.25 && i >= opts.posts.length - 2;
      if (!opts.protectedIds.has(student.id) && (skips || readAt > now)) break;
      seq = i + 1;
      at = Math.min(readAt, now);
      receipts.push({ userId: student.id, seq, at });
    }
    if (seq > 0) pointers.push({ userId: student.id, seq, at });
  }
  for (const i of opts.instructors) pointers.push({ userId: i.id, seq: opts.posts.length, at: now });
  if (receipts.length > 0) {
    await db.execute(sql`insert into message_read_receipts (message_id, user_id, read_at)
      select m.id, r.user_id, r.read_at
      from jsonb_to_recordset(${JSON.stringify(receipts.map((r) => ({ user_id: r.userId, seq: r.seq, read_at: new Date(r.at).toISOString() })))}::jsonb)
        as r(user_id text, seq bigint, read_at timestamptz)
      join messages m on m.thread_id = ${opts.threadId} and m.seq = r.seq
      on conflict do nothing`);
  }
  await db.execute(sql`update message_participants p set last_read_seq = r.seq, last_read_at = r.read_at,
      last_seen_at = greatest(p.last_seen_at, r.read_at)
    from jsonb_to_recordset(${JSON.stringify(pointers.map((r) => ({ user_id: r.userId, seq: r.seq, read_at: new Date(r.at).toISOString() })))}::jsonb)
      as r(user_id text, seq bigint, read_at timestamptz)
    where p.thread_id = ${opts.threadId} and p.user_id = r.user_id`);
}

const WEEKLY = [
  'Welcome back! This week in {class}: the first unit, and the reading list is in Materials.',
  'Reminder: problem set 1 is due Friday. Office hours Tuesday and Thursday, 2–4pm.',
  'Quiz 1 grades are posted. Come and see me if anything looks off.',
  'This week: group work. Check the group list in Materials before Wednesday.',
  'Midterm review session on Thursday after class. Bring your questions.',
  'Next week is the midterm. The practice exam and answers are in Materials.',
];
const QUESTIONS = [
  'Could you explain question 4 on the problem set? I am not sure where to start.',
  'I missed Tuesday’s class. What did we cover?',
  'Is the essay supposed to be double-spaced?',
  'Can I hand in the lab report one day late? I have two tests that day.',
  'I got a different answer than the key for problem 9. Can you check my working?',
  'Will the quiz include last week’s material too?',
  'Where can I find the slides from Thursday?',
];
const FOLLOW_UPS = [
  'Sorry, I meant question 5.',
  'I attached my working in the materials folder.',
  'Also, is it open book?',
];
const ANSWERS = [
  'Good question. Start from the definition and write out the first two steps; I will check them.',
  'We covered section 2.3; the slides are in Materials.',
  'Yes, that is fine this once. Let me know when it is in.',
  'Your working is right until the last line: check the sign there.',
  'Yes, it covers everything up to and including last week.',
];
const LAB_QUESTIONS = [
  'Our mass went down more than expected. Could the scale be off?',
  'We got 12% for the first trial and 9% for the second. Is that normal?',
  'Do we need to include the failed trial in the report?',
  'How many significant figures should we use?',
  'Can we use the class data set for the graph?',
];
const LAB_ANSWERS = [
  'A spread like that is normal; report both and discuss why.',
  'Three significant figures, and say so in your method.',
];
