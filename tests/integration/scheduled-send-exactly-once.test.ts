// Scheduled send is exactly once across real processes: the poller (src/server/scheduled-send.ts)
// runs in separate worker processes on the same database, one is killed with SIGKILL right after
// it stored a message and before it recorded the row as sent, and is started again. Every scheduled
// message is then in its thread once: the dead process's claims go stale and are claimed again,
// and the send, keyed `scheduled.<id>`, finds the message it already stored. On Postgres two
// processes share the work; an embedded data folder belongs to one process, so there the one
// process is killed and restarted (as notifications-exactly-once does).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { messages, scheduledMessages } from '@/db/schema';
import { scheduleMessage } from '@/messaging/scheduled-messages';
import { createClass, createThread, createUser, enrollStudent } from '../factories';
import { sleep } from '../support/loss';
import { EMBEDDED_RUN } from '../support/db';
import { sharedPostgres, useCleanup } from '../support/worker-suite';
import { spawnWorker, until } from '../support/node-process';

const NODE = path.resolve(import.meta.dirname, '../support/scheduled-node.ts');
const SCHEDULED = 16;
const STALE_CLAIM_MS = 1_500;
/** How long a worker stands still after each message it stores (the kill lands in there). */
const HOLD_MS = 400;
const KILL_AFTER = 3;

/** A DIRECT thread and SCHEDULED messages in it, due in a moment; returns their ids. */
async function prepare(database: Database): Promise<{ ids: string[]; threadId: string }> {
  const db = database.db;
  await migrateDatabase(database);
  const teacher = await createUser(db, { role: 'INSTRUCTOR', name: 'Maya Chen' });
  const student = await createUser(db, { name: 'Sam Rivera' });
  const cls = await createClass(db, { instructors: [{ id: teacher.id }] });
  await enrollStudent(db, { classId: cls.id, studentId: student.id });
  const thread = await createThread(db, {
    type: 'DIRECT',
    createdById: teacher.id,
    participantIds: [student.id],
  });
  const ids: string[] = [];
  for (let i = 0; i < SCHEDULED; i++) {
    const item = await scheduleMessage(
      { db },
      {
        userId: teacher.id,
        input: {
          threadId: thread.id,
          content: `Reminder ${i}`,
          sendAt: new Date(Date.now() + 60_000).toISOString(),
        },
      },
    );
    ids.push(item.id);
  }
  // Due now: the workers find them at their first pass.
  await db.update(scheduledMessages).set({ sendAt: new Date(Date.now() - 1_000) });
  return { ids, threadId: thread.id };
}

const workerEnv = (db: Record<string, string | undefined>) => ({
  ...db,
  SEND_HOLD_MS: String(HOLD_MS),
  STALE_CLAIM_MS: String(STALE_CLAIM_MS),
  CLAIM_LIMIT: '4',
});

/** Every scheduled row is sent, each with exactly one message under its key, in the thread. */
async function auditSent(database: Database, ids: string[], threadId: string) {
  const rows = await database.db.select().from(scheduledMessages);
  expect(rows.map((r) => r.status)).toEqual(ids.map(() => 'sent'));
  const stored = await database.db
    .select({ id: messages.id, key: messages.clientMessageId, threadId: messages.threadId })
    .from(messages)
    .where(like(messages.clientMessageId, 'scheduled.%'));
  expect(stored.map((m) => m.key).sort()).toEqual(ids.map((id) => `scheduled.${id}`).sort());
  for (const row of rows) {
    expect(stored.filter((m) => m.key === `scheduled.${row.id}`).map((m) => m.id)).toEqual([row.messageId]);
  }
  expect((await database.db.select().from(messages).where(eq(messages.threadId, threadId))).length).toBe(
    SCHEDULED,
  );
}

/**
 * A worker killed with SIGKILL as soon as it prints its KILL_AFTER-th `SENT`: that message is
 * stored and the process stands still before recording its row. Resolves once it has exited, with
 * what it printed and the key of the message it died holding.
 */
async function workerKilledMidSend(env: Record<string, string | undefined>) {
  const state: { child?: ChildProcess; printed: number; killed?: string } = { printed: 0 };
  const worker = await spawnWorker(NODE, 'node-a', env, (line) => {
    if (++state.printed !== KILL_AFTER) return;
    state.killed = line.replace(/^SENT /, '');
    state.child?.kill('SIGKILL');
  });
  state.child = worker.child;
  if (state.killed) worker.child.kill('SIGKILL'); // it got there before the child was known
  await until(() => !!state.killed, 30_000, 'node-a to send');
  await worker.exited;
  return { lines: worker.lines, killed: state.killed! };
}

/** `SENT <key>` lines: each key at most once across every process (a second would be a duplicate). */
function sentKeys(...lines: string[][]): string[] {
  const keys = lines.flat().map((l) => l.replace(/^SENT /, ''));
  expect(new Set(keys).size).toBe(keys.length);
  return keys;
}

const allSent = async (database: Database) =>
  (await database.db.select().from(scheduledMessages)).every((r) => r.status === 'sent');

describe('scheduled send exactly once across a kill -9', () => {
  const cleanup = useCleanup();

  it.runIf(!!process.env.DATABASE_URL)(
    'two processes on Postgres: one is killed mid-send and restarted; every message goes once',
    async () => {
      const { database, url } = await sharedPostgres(cleanup);
      const { ids, threadId } = await prepare(database);
      const env = workerEnv({ DATABASE_URL: url });
      const [b, a] = await Promise.all([
        spawnWorker(NODE, 'node-b', env).then((b) => {
          cleanup.push(async () => void b.child.kill('SIGKILL'));
          return b;
        }),
        workerKilledMidSend(env),
      ]);
      const again = await spawnWorker(NODE, 'node-a-restarted', env);
      cleanup.push(async () => void again.child.kill('SIGKILL'));

      await expect.poll(() => allSent(database), { timeout: 60_000, interval: 200 }).toBe(true);
      await sleep(STALE_CLAIM_MS + HOLD_MS + 1_000); // room for a duplicate, if there were one
      await auditSent(database, ids, threadId);
      const keys = sentKeys(a.lines, b.lines, again.lines);
      expect(a.lines.length).toBeLessThan(SCHEDULED);
      expect(b.lines.length).toBeGreaterThan(0);
      // The message the killed process stored counts once: nobody stored it again.
      expect(keys).toContain(a.killed);
      expect(keys.length).toBeLessThanOrEqual(SCHEDULED);
      for (const p of [b, again]) p.child.kill('SIGKILL');
      await Promise.all([b.exited, again.exited]);
    },
    150_000,
  );

  it.runIf(EMBEDDED_RUN)(
    'one process on an embedded database: killed mid-send, restarted, nothing lost or repeated',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-scheduled-'));
      cleanup.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
      let database = await openDatabase({ kind: 'pglite', dataDir });
      const { ids, threadId } = await prepare(database);
      await database.close();
      const env = workerEnv({ DATA_DIR: dataDir, DATABASE_URL: undefined });
      const a = await workerKilledMidSend(env);
      expect(a.lines.length).toBeLessThan(SCHEDULED);
      const again = await spawnWorker(NODE, 'node-a-restarted', env);
      cleanup.push(async () => void again.child.kill('SIGKILL'));
      await until(() => a.lines.length + again.lines.length >= SCHEDULED, 60_000, 'every message');
      await sleep(STALE_CLAIM_MS + HOLD_MS + 1_000);
      again.child.kill('SIGKILL');
      await again.exited;
      // The data folder is the test's again once the worker is gone.
      database = await openDatabase({ kind: 'pglite', dataDir });
      cleanup.push(() => database.close());
      const keys = sentKeys(a.lines, again.lines);
      expect(keys).toContain(a.killed);
      expect(keys).toHaveLength(SCHEDULED);
      await auditSent(database, ids, threadId);
    },
    150_000,
  );
});
