// Every due notification is sent, none twice, when a worker process is killed with SIGKILL in the
// middle of sending a digest (the SMTP server has its data but has not answered): its claimed jobs'
// leases expire and are run again — by the other process on Postgres, or by the same process
// restarted on an embedded data folder. Real processes, a real SMTP server, no mocks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, queryRows, type Database } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { sequenceFeed } from '@/messaging/feed-sequencer';
import { sendMessage } from '@/messaging/send-message';
import { createClass, createThread, createUser, enrollStudent } from '../factories';
import { TEST_AUTH_SECRET } from '../support/api';
import { EMBEDDED_RUN } from '../support/db';
import { sharedPostgres, useCleanup } from '../support/worker-suite';
import { spawnWorker, until, type ListeningProcess } from '../support/node-process';
import { startSmtpServer, type TestSmtp } from '../support/notifications';
import { sleep } from '../support/loss';

const NODE = path.resolve(import.meta.dirname, '../support/notify-node.ts');
const STUDENTS = 12;
const HOLD_MS = 800;
const LEASE_MS = 2_000;

/** Students each with a direct message and a class announcement, all due at once. */
async function prepare(database: Database): Promise<Array<{ email: string }>> {
  const db = database.db;
  await migrateDatabase(database);
  const teacher = await createUser(db, { role: 'INSTRUCTOR', name: 'Dr Chen' });
  const cls = await createClass(db, { instructors: [{ id: teacher.id }] });
  const students = [];
  for (let i = 0; i < STUDENTS; i++) {
    const s = await createUser(db, { name: `Student ${i}` });
    await enrollStudent(db, { classId: cls.id, studentId: s.id });
    const direct = await createThread(db, {
      type: 'DIRECT',
      createdById: teacher.id,
      participantIds: [s.id],
    });
    await sendMessage(
      { db },
      { userId: teacher.id, threadId: direct.id, content: `Feedback for student ${i}` },
    );
    students.push(s);
  }
  const announcement = await createThread(db, {
    type: 'CLASS',
    createdById: teacher.id,
    classId: cls.id,
    title: 'Exam room',
    studentsCanReply: false,
    participantIds: students.map((s) => s.id),
  });
  await sendMessage(
    { db },
    { userId: teacher.id, threadId: announcement.id, content: 'The exam is in hall B.' },
  );
  while ((await sequenceFeed({ db })).length) {
    /* numbered */
  }
  return students;
}

function spawnNode(name: string, env: Record<string, string | undefined>): Promise<ListeningProcess> {
  return spawnWorker(NODE, name, { ...env, LEASE_MS: String(LEASE_MS), AUTH_SECRET: TEST_AUTH_SECRET });
}

/** Each student got exactly one digest, with both conversations in it. */
function auditMails(smtp: TestSmtp, students: Array<{ email: string }>) {
  const byRecipient = new Map<string, number>();
  for (const m of smtp.mails) {
    const to = m.to && !Array.isArray(m.to) ? m.to.value[0]!.address! : '';
    byRecipient.set(to, (byRecipient.get(to) ?? 0) + 1);
    expect(m.subject).toBe('2 new messages in 2 conversations');
    expect(m.text).toContain('Dr Chen: The exam is in hall B.');
  }
  expect([...byRecipient.entries()].sort()).toEqual(students.map((s) => [s.email, 1]).sort());
}

describe('exactly once across a kill -9', () => {
  const cleanup = useCleanup();

  it.runIf(!!process.env.DATABASE_URL)(
    'two processes on Postgres: one is killed mid-digest, the other sends what it held',
    async () => {
      const { database, url } = await sharedPostgres(cleanup);
      const students = await prepare(database);
      const node: { a?: ListeningProcess } = {};
      let fromA = 0;
      const smtp = await startSmtpServer({
        holdMs: HOLD_MS,
        onData: (client) => {
          // node-a's second digest is in the server's hands, unanswered: kill it there.
          if (client === 'node-a' && ++fromA === 2) node.a?.child.kill('SIGKILL');
        },
      });
      cleanup.push(smtp.close);
      const env = { DATABASE_URL: url, SMTP_URL: smtp.url };
      const [a, b] = await Promise.all([spawnNode('node-a', env), spawnNode('node-b', env)]);
      node.a = a;
      cleanup.push(async () => void b.child.kill('SIGKILL'));
      if (fromA >= 2) a.child.kill('SIGKILL'); // it got there before `a` was set
      await until(() => fromA >= 2, 20_000, 'node-a to send twice');
      await a.exited;
      await until(() => smtp.mails.length >= STUDENTS, 30_000, 'every digest');
      await sleep(LEASE_MS + 1_000); // room for a duplicate, if there were one
      auditMails(smtp, students);
      expect(smtp.mails.filter((m) => m.client === 'node-a').length).toBeLessThan(STUDENTS);
      expect(smtp.mails.some((m) => m.client === 'node-b')).toBe(true);
      // Each sent digest's deliveries are marked once its worker hears the server's reply.
      const open = async () =>
        (
          await queryRows<{ n: number }>(
            database.db,
            sql`select count(*)::int as n from notification_deliveries where state <> 'sent'`,
          )
        )[0]!.n;
      await expect.poll(open, { timeout: 20_000 }).toBe(0);
      b.child.kill('SIGKILL');
      await b.exited;
    },
    150_000,
  );

  it.runIf(EMBEDDED_RUN)(
    'one process on an embedded database: killed mid-digest, restarted, nothing lost or repeated',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-notify-'));
      cleanup.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
      const database = await openDatabase({ kind: 'pglite', dataDir });
      const students = await prepare(database);
      await database.close();
      const node: { a?: ListeningProcess } = {};
      let killed = false;
      const smtp = await startSmtpServer({
        holdMs: HOLD_MS,
        onData: (client) => {
          // Let a few digests through first, then kill it while it is sending the next one.
          if (client === 'node-a' && !killed && smtp.mails.length >= 2) {
            killed = true;
            node.a!.child.kill('SIGKILL');
          }
        },
      });
      cleanup.push(smtp.close);
      const env = { DATA_DIR: dataDir, DATABASE_URL: undefined, SMTP_URL: smtp.url };
      const a = (node.a = await spawnNode('node-a', env));
      await until(() => killed, 20_000, 'node-a to send');
      await a.exited;
      const sentBeforeKill = smtp.mails.length;
      expect(sentBeforeKill).toBeLessThan(STUDENTS);
      const again = await spawnNode('node-a-restarted', env);
      cleanup.push(async () => void again.child.kill('SIGKILL'));
      await until(() => smtp.mails.length >= STUDENTS, 30_000, 'every digest');
      await sleep(LEASE_MS + 1_000);
      auditMails(smtp, students);
      again.child.kill('SIGKILL');
      await again.exited;
    },
    150_000,
  );
});
