// What the API benches share: a scratch database (PostgreSQL through DATABASE_URL, else PGlite in a
// temp folder) migrated with the real migrations, the bench:api fixture (users, classes, 3,440
// threads, a focal instructor in 200 of them, N messages in ONE insert … select), raw access to the
// driver, and statement capture for EXPLAIN. bench:api and bench:search build the same data this way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { Logger } from 'drizzle-orm/logger';
import type pg from 'pg';
import { openDatabase, type Database, type Db } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import * as schema from '@/db/schema';
import { encodeCursor } from '@/messaging/cursor';
import { createScratchPostgres } from '../tests/support/db';

export const POSTGRES_URL = process.env.DATABASE_URL?.trim() || undefined;
export const MODE = POSTGRES_URL ? 'postgres' : 'pglite';
const KEEP = process.env.BENCH_KEEP === '1';

// ---- raw access and statement capture -----------------------------------------------------------

export type Row = Record<string, unknown>;
export type Query = (text: string, params?: unknown[]) => Promise<Row[]>;

export interface Raw {
  query: Query;
  /** Runs fn on one connection inside a transaction that is always rolled back. */
  rolledBack<T>(fn: (q: Query) => Promise<T>): Promise<T>;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

let captured: Statement[] | null = null;
const captureLogger: Logger = {
  logQuery(query, params) {
    captured?.push({ sql: query, params });
  },
};

/** The driver under `database`, and a second drizzle on it whose logger records each statement. */
export function attach(database: Database): { raw: Raw; capDb: Db } {
  const client = (database.db as unknown as { $client?: unknown }).$client;
  if (!client) throw new Error('drizzle did not expose $client');
  if (database.kind === 'postgres') {
    const pool = client as pg.Pool;
    return {
      raw: {
        query: async (text, params) => (await pool.query(text, params)).rows as Row[],
        rolledBack: async (fn) => {
          const c = await pool.connect();
          try {
            await c.query('begin');
            return await fn(async (text, params) => (await c.query(text, params)).rows as Row[]);
          } finally {
            await c.query('rollback');
            c.release();
          }
        },
      },
      capDb: drizzlePg(pool, { schema, logger: captureLogger }) as unknown as Db,
    };
  }
  const lite = client as PGlite;
  return {
    raw: {
      query: async (text, params) => (await lite.query<Row>(text, params)).rows,
      rolledBack: (fn) =>
        lite.transaction(async (tx) => {
          try {
            return await fn(async (text, params) => (await tx.query<Row>(text, params)).rows);
          } finally {
            await tx.rollback();
          }
        }),
    },
    capDb: drizzlePglite(lite, { schema, logger: captureLogger }) as unknown as Db,
  };
}

const CONTROL = /^\s*(begin|commit|rollback|savepoint|release savepoint)\b/i;

export async function capture(fn: () => Promise<unknown>): Promise<Statement[]> {
  captured = [];
  try {
    await fn();
    return captured.filter((s) => !CONTROL.test(s.sql));
  } finally {
    captured = null;
  }
}

export class Rollback extends Error {}

export async function explain(q: Query, st: Statement): Promise<string> {
  const rows = await q(`explain (analyze, buffers) ${st.sql}`, st.params);
  return rows.map((r) => String(r['QUERY PLAN'])).join('\n');
}

export function printPlan(title: string, st: Statement, plan: string): void {
  const oneLine = st.sql.replace(/\s+/g, ' ').trim();
  console.log(`\n── ${title}`);
  console.log(`   sql: ${oneLine.length > 400 ? `${oneLine.slice(0, 400)} …` : oneLine}`);
  console.log(plan.replace(/^/gm, '   '));
}

// ---- loading ------------------------------------------------------------------------------------

export interface Fixture {
  focalId: string;
  longThreadId: string;
  longThreadLength: number;
  sendThreadId: string;
  /** A CLASS thread of 30 (the focal instructor and 29 students): what a send costs its fan-in. */
  classSendThreadId: string;
  deepCursor: string;
}

const FOCAL_CLASSES = 5;
const FOCAL_CLASS_SIZE = 40;
const FOCAL_DIRECT_PER_CLASS = 38; // 5 × 38 = 190 DIRECT + 10 CLASS = 200 threads
const BG_INSTRUCTORS = 60;
const BG_CLASS_SIZE = 30;
const BG_DIRECT_PER_CLASS = 25;
const LONG_SHARE = 0.2;

/** The bench:api text: a numbered line of lorem ipsum of 20–200 characters. */
const LOREM_CONTENT = `'Message ' || s || ': ' ||
  left(repeat('Lorem ipsum dolor sit amet, consectetur adipiscing elit. ', 4), 20 + (s * 31 + p.idx) % 180)`;

export interface LoadOptions {
  /**
   * SQL for a message's text, over s (its seq in the thread), p.idx (the thread's number) and
   * p.members (its participants' ids); default: bench:api's lorem ipsum.
   */
  content?: string;
  /** Statements run before the messages insert (for tables `content` reads). */
  before?: string[];
}

export async function load(raw: Raw, total: number, opts: LoadOptions = {}): Promise<Fixture> {
  const longN = Math.round(total * LONG_SHARE);
  const focalStudents = FOCAL_CLASSES * FOCAL_CLASS_SIZE;
  const bgClasses = BG_INSTRUCTORS * 2;
  const students = focalStudents + bgClasses * BG_CLASS_SIZE;
  const started = performance.now();
  const step = async (label: string, statements: string[]) => {
    const t0 = performance.now();
    for (const text of statements) await raw.query(text);
    const s = (performance.now() - t0) / 1000;
    console.log(`  load ${label.padEnd(58)} ${s.toFixed(1).padStart(6)} s`);
  };

  // Bookkeeping tables (bench_*), dropped at the end: who is who, the classes, the thread plan.
  await step(`users (${BG_INSTRUCTORS + 1} instructors, ${students} students)`, [
    `create table bench_users (kind text not null, k int not null,
       id text primary key default gen_random_uuid()::text, unique (kind, k))`,
    `insert into bench_users (kind, k) select 'I', i from generate_series(0, ${BG_INSTRUCTORS}) i`,
    `insert into bench_users (kind, k) select 'S', j from generate_series(1, ${students}) j`,
    `insert into users (id, name, email, role, email_verified, created_at)
       select id,
         case when kind = 'S' then 'Student ' || k when k = 0 then 'Focal Instructor' else 'Instructor ' || k end,
         case when kind = 'S' then 's' || k when k = 0 then 'focal' else 'inst' || k end || '@bench.test',
         (case when kind = 'S' then 'STUDENT' else 'INSTRUCTOR' end)::user_role, true, now() - interval '400 days'
       from bench_users`,
  ]);

  await step(`classes (${FOCAL_CLASSES + bgClasses}), instructors, enrollments`, [
    `create table bench_classes (c int primary key, id text not null default gen_random_uuid()::text,
       instr int not null, j0 int not null, size int not null, ndirect int not null)`,
    `insert into bench_classes (c, instr, j0, size, ndirect)
       select c, 0, (c - 1) * ${FOCAL_CLASS_SIZE} + 1, ${FOCAL_CLASS_SIZE}, ${FOCAL_DIRECT_PER_CLASS}
         from generate_series(1, ${FOCAL_CLASSES}) c
       union all
       select c, (c - ${FOCAL_CLASSES + 1}) / 2 + 1, ${focalStudents + 1} + (c - ${FOCAL_CLASSES + 1}) * ${BG_CLASS_SIZE},
         ${BG_CLASS_SIZE}, ${BG_DIRECT_PER_CLASS}
         from generate_series(${FOCAL_CLASSES + 1}, ${FOCAL_CLASSES + bgClasses}) c`,
    `insert into classes (id, name, code, created_at)
       select id, 'Class ' || c, 'BENCH-' || c, now() - interval '300 days' from bench_classes`,
    `insert into class_instructors (class_id, instructor_id, is_primary, created_at)
       select bc.id, u.id, true, now() - interval '300 days'
       from bench_classes bc join bench_users u on u.kind = 'I' and u.k = bc.instr`,
    `insert into class_enrollments (class_id, student_id, enrolled_at)
       select bc.id, u.id, now() - interval '300 days'
       from bench_classes bc join bench_users u on u.kind = 'S' and u.k between bc.j0 and bc.j0 + bc.size - 1`,
  ]);

  // The plan: one row per thread with its members, message count n, last activity and spacing.
  await step('thread plan (DIRECT with own students, CLASS of 30)', [
    `create table bench_plan (
       idx serial primary key,
       thread_id text not null default gen_random_uuid()::text,
       type "ThreadType" not null,
       class_id text,
       created_by text not null,
       title text,
       direct_key text,
       members text[] not null,
       focal boolean not null,
       long boolean not null default false,
       w int not null default 1,
       n int not null default 0,
       end_at timestamptz,
       step interval)`,
    `insert into bench_plan (type, created_by, direct_key, members, focal)
       select 'DIRECT', case when s.k % 3 = 0 then s.id else i.id end,
         least(i.id collate "C", s.id collate "C") || ':' || greatest(i.id collate "C", s.id collate "C"),
         array[i.id, s.id], bc.instr = 0
       from bench_classes bc
       join bench_users i on i.kind = 'I' and i.k = bc.instr
       join bench_users s on s.kind = 'S' and s.k between bc.j0 and bc.j0 + bc.ndirect - 1
       order by bc.c, s.k`,
    `insert into bench_plan (type, class_id, created_by, title, members, focal)
       select 'CLASS', bc.id, i.id, 'Class ' || bc.c || ' discussion ' || t,
         array[i.id] || array(select s.id from bench_users s where s.kind = 'S'
           and s.k between bc.j0 + (t - 1) * (bc.size - 29) and bc.j0 + (t - 1) * (bc.size - 29) + 28 order by s.k),
         bc.instr = 0
       from bench_classes bc join bench_users i on i.kind = 'I' and i.k = bc.instr
       cross join generate_series(1, 2) t
       order by bc.c, t`,
    `update bench_plan set long = true
       where idx = (select min(idx) from bench_plan where focal and type = 'CLASS')`,
    `update bench_plan set w = 1 + (idx * 7919) % 20`,
    // The long thread gets its share; every other thread one message plus the rest split by weight
    // (cumulative rounding, so the counts add up exactly).
    `update bench_plan set n = ${longN} where long`,
    `with r as (select ${total - longN} - count(*) as rest, sum(w) as wsum from bench_plan where not long),
       c as (select idx, w, sum(w) over (order by idx) as cw from bench_plan where not long)
     update bench_plan p
       set n = 1 + floor(r.rest::numeric * c.cw / r.wsum)::int - floor(r.rest::numeric * (c.cw - c.w) / r.wsum)::int
       from r, c where p.idx = c.idx`,
    // Last activity spread over 60 days (the long thread: 5 minutes ago); spacing ≤ 1 h, span ≤ 180 days.
    `update bench_plan set
       end_at = now() - case when long then interval '5 minutes' else make_interval(mins => (idx * 7919) % 86400) end,
       step = make_interval(secs => greatest(1, least(3600, 15552000.0 / n)))`,
  ]);

  await step('message_threads, message_participants', [
    `insert into message_threads (id, type, class_id, created_by_id, title, direct_key, created_at, updated_at)
       select thread_id, type, class_id, created_by, title, direct_key, end_at - n * step - interval '1 hour', end_at
       from bench_plan`,
    `insert into message_participants (thread_id, user_id, joined_at, last_seen_at)
       select p.thread_id, m.uid, p.end_at - p.n * p.step - interval '1 hour' + m.ord * interval '1 second', p.end_at
       from bench_plan p cross join lateral unnest(p.members) with ordinality m(uid, ord)`,
  ]);

  if (opts.before) await step('text tables', opts.before);
  // THE insert: every message in one statement, in arrival (created_at) order.
  await step(`messages (${total.toLocaleString('en-US')}, one insert … generate_series)`, [
    `insert into messages (thread_id, sender_id, content, seq, created_at, deleted_at)
       select p.thread_id, p.members[1 + s % cardinality(p.members)],
         ${opts.content ?? LOREM_CONTENT},
         s, p.end_at - (p.n - s) * p.step,
         case when s % 97 = 0 then p.end_at - (p.n - s) * p.step + interval '1 minute' end
       from bench_plan p cross join lateral generate_series(1, p.n) s
       order by 5`,
  ]);

  await step('thread counters, read pointers', [
    `update message_threads t set last_message_seq = m.mx, last_message_at = m.at
       from (select thread_id, max(seq) as mx, max(created_at) as at from messages group by thread_id) m
       where t.id = m.thread_id`,
    // 70% have read everything; the others are 1–8 messages behind.
    `update message_participants mp
       set last_read_seq = greatest(0, t.last_message_seq - case when abs(hashtext(mp.id)::bigint) % 10 < 7 then 0
             else 1 + abs(hashtext(mp.id)::bigint) % 8 end),
           last_read_at = t.last_message_at
       from message_threads t where t.id = mp.thread_id`,
    `update message_participants mp set last_read_message_id = m.id
       from messages m where m.thread_id = mp.thread_id and m.seq = mp.last_read_seq`,
    // Each participant row's copy of the thread's activity, as the send keeps it.
    `update message_participants mp set activity_at = coalesce(t.last_message_at, t.created_at)
       from message_threads t where t.id = mp.thread_id`,
  ]);

  const [fx] = await raw.query(
    `select u.id as focal_id, p.thread_id as long_id, p.n as long_n,
       (select thread_id from bench_plan where focal and type = 'DIRECT' order by idx limit 1) as send_id,
       (select thread_id from bench_plan where focal and type = 'CLASS' and not long order by idx limit 1)
         as class_send_id
     from bench_users u, bench_plan p where u.kind = 'I' and u.k = 0 and p.long`,
  );
  if (!fx) throw new Error('fixture lookup failed');
  await step('drop bench_* tables, vacuum analyze, checkpoint', [
    'drop table bench_plan',
    'drop table bench_classes',
    'drop table bench_users',
    'vacuum analyze',
    'checkpoint', // so the load's dirty pages are not written out while we measure
  ]);
  console.log(`  load total ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const longThreadId = String(fx.long_id);
  const longThreadLength = Number(fx.long_n);
  const [deep] = await raw.query(`select created_at, id from messages where thread_id = $1 and seq = $2`, [
    longThreadId,
    Math.min(101, longThreadLength),
  ]);
  if (!deep) throw new Error('deep cursor lookup failed');
  return {
    focalId: String(fx.focal_id),
    longThreadId,
    longThreadLength,
    sendThreadId: String(fx.send_id),
    classSendThreadId: String(fx.class_send_id),
    deepCursor: encodeCursor({ at: new Date(deep.created_at as Date | string), id: String(deep.id) }),
  };
}

/** The shape actually loaded, checked: counts, contiguous seq, strictly increasing created_at. */
export async function describeData(raw: Raw, fx: Fixture): Promise<void> {
  const [c] = await raw.query(
    `select (select count(*) from users) as users,
       (select count(*) from message_threads) as threads,
       (select count(*) from message_participants) as participants,
       (select count(*) from messages) as messages,
       (select count(*) from messages where deleted_at is not null) as deleted,
       (select count(*) from message_participants where user_id = $1 and left_at is null) as focal_threads,
       (select count(*) from message_participants mp join message_threads t on t.id = mp.thread_id
          where mp.user_id = $1 and t.type = 'CLASS') as focal_class_threads,
       (select coalesce(sum(t.last_message_seq), 0) from message_participants mp
          join message_threads t on t.id = mp.thread_id where mp.user_id = $1) as focal_messages,
       (select count(*) from message_participants where user_id = $1 and last_read_seq < (
          select last_message_seq from message_threads where id = thread_id)) as focal_behind,
       (select count(*) from (select thread_id from messages group by thread_id
          having count(*) <> max(seq) or min(seq) <> 1) x) as bad_seq,
       (select count(*) from (select created_at <= lag(created_at) over (partition by thread_id order by seq) as bad
          from messages) x where bad) as bad_time,
       (select count(*) from message_threads t where last_message_seq <> (
          select coalesce(max(seq), 0) from messages m where m.thread_id = t.id)) as bad_counter`,
    [fx.focalId],
  );
  if (!c) throw new Error('data check failed');
  const n = (k: string) => Number(c[k]).toLocaleString('en-US');
  console.log(
    `  data: ${n('users')} users, ${n('threads')} threads, ${n('participants')} participants, ` +
      `${n('messages')} messages (${n('deleted')} deleted); long thread ${fx.longThreadLength.toLocaleString('en-US')} messages`,
  );
  console.log(
    `  focal instructor: ${n('focal_threads')} threads (${n('focal_class_threads')} CLASS), ` +
      `${n('focal_messages')} messages in them, ${n('focal_behind')} with a pointer behind`,
  );
  const bad = Number(c.bad_seq) + Number(c.bad_time) + Number(c.bad_counter);
  console.log(
    `  checks: threads with non-contiguous seq ${c.bad_seq}, non-increasing created_at ${c.bad_time}, ` +
      `wrong last_message_seq ${c.bad_counter} → ${bad === 0 ? 'OK' : 'FAILED'}`,
  );
  if (bad !== 0) throw new Error('the generated data is inconsistent');
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

export const cleanups = new Set<() => Promise<void>>();

export async function withScratchDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  let where: string;
  let open: () => Promise<Database>;
  let remove: () => Promise<void>;
  if (POSTGRES_URL) {
    const scratch = await createScratchPostgres('cm_bench');
    where = `PostgreSQL scratch database ${scratch.name}`;
    open = () => openDatabase({ kind: 'postgres', url: scratch.url });
    remove = scratch.drop;
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-bench-api-'));
    where = `PGlite in ${dataDir}`;
    open = () => openDatabase({ kind: 'pglite', dataDir });
    remove = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  }
  cleanups.add(remove);
  console.log(`  database: ${where}`);
  try {
    const database = await open();
    try {
      await migrateDatabase(database);
      return await fn(database);
    } finally {
      await database.close();
    }
  } finally {
    cleanups.delete(remove);
    if (KEEP) console.log(`  BENCH_KEEP=1: kept ${where}`);
    else await remove();
  }
}

export async function runCleanups(): Promise<void> {
  for (const c of [...cleanups]) await c().catch(() => {});
}

/** Removes the scratch databases on Ctrl-C (exit 130); that is all a bench's entry needs around it. */
export function cleanUpOnInterrupt(): void {
  process.once('SIGINT', () => {
    console.error('\ninterrupted: removing the scratch database');
    void runCleanups().finally(() => process.exit(130));
  });
}

/** A bench's entry: cleanup on Ctrl-C, then `run`; a failure is printed and exits non-zero. */
export async function runBench(run: () => Promise<void>): Promise<void> {
  cleanUpOnInterrupt();
  try {
    await run();
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  }
}
