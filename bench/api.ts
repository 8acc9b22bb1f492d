// API latency at two data sizes: `npm run bench:api`.
//
// For each size it builds a scratch database with the real migrations, fills it with SQL
// generate_series (realistic threads, ONE insert … select for the messages), runs VACUUM ANALYZE
// and a CHECKPOINT (settled statistics and visibility map, and no autovacuum or checkpoint writing
// the load out while we measure), then times the domain functions themselves (warm-up, then
// samples; p50/p99 in ms; the send last, as it writes) and prints the EXPLAIN (ANALYZE, BUFFERS)
// plan of every statement they run, recorded through a drizzle logger on the same connection (the
// send's statements are replayed in order inside a transaction that is rolled back). A summary
// compares the sizes against the targets.
//
//   DATABASE_URL=postgres://…   use PostgreSQL: a scratch database cm_bench_<random> per size, made
//                               through that (admin) URL and dropped afterwards, also on error/Ctrl-C.
//                               Without it: PGlite in a temp folder (removed afterwards).
//   BENCH_SIZES=10000,1000000   message counts (default both, each ≥ 10000). Loading 1M takes about
//                               a minute on either database here (a whole run ~3 min); use
//                               BENCH_SIZES=10000 for a quick run.
//   BENCH_SAMPLES=200           timed runs per operation (fewer when one run is slow: ≤ ~15 s each).
//   BENCH_WARMUP=20             untimed runs first.
//   BENCH_PLANS=0               skip the EXPLAIN output.
//   BENCH_KEEP=1                keep the scratch databases / folders (printed) to investigate plans.
//   BENCH_TARGETS=0             skip the read-path targets (below).
//   BENCH_LONG=200000           messages in the read-path targets' long thread.
//
// Data per size (thread and user counts are the same at every size; only the messages grow):
// one focal instructor teaching 5 classes of 40 in 200 threads (190 DIRECT with their students,
// 10 CLASS threads of 30), and 60 background instructors with 2 classes of 30 and 54 threads each
// (3,440 threads in all, so the focal user's are ~6%). One of the focal user's CLASS threads (the
// "long thread") holds 20% of the messages; the rest are spread over the other threads with
// varying weights. Per thread: seq 1..n contiguous, created_at strictly increasing, senders
// rotating through the participants, ~1% deleted; rows are inserted in created_at order (arrival
// order, so a thread's messages are interleaved in the heap as in production). Read pointers: 70%
// of participants have read everything, the others are 1–8 messages behind.
//
// Read-path targets (issue 14), on a scratch database of their own, whatever the sizes: a reader in
// 5,000 DIRECT threads against one in 200 (the thread list's first page must cost about the same),
// and an unread count in one 200,000-message thread with the pointer at 0 against 1,000 behind
// (it must not grow with how far behind the reader is). Each ratio is printed next to its target.
import os from 'node:os';
import { inTransaction, type Db } from '@/db/client';
import { getInstructorDashboardStats } from '@/classroom/instructor-queries';
import { listMessages, readMessagePage } from '@/messaging/list-messages';
import { listThreads } from '@/messaging/list-threads';
import { countUnread } from '@/messaging/count-unread';
import { sendMessage } from '@/messaging/send-message';
import {
  attach,
  capture,
  describeData,
  explain,
  load,
  MODE,
  percentile,
  printPlan,
  Rollback,
  cleanUpOnInterrupt,
  withScratchDatabase,
  type Fixture,
  type Raw,
} from './fixture';

process.env.LOG_LEVEL ||= 'silent'; // env() is parsed lazily, on the first log line

const SIZES = (process.env.BENCH_SIZES ?? '10000,1000000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const PLANS = process.env.BENCH_PLANS !== '0';
const TARGETS = process.env.BENCH_TARGETS !== '0';
const LONG = Number(process.env.BENCH_LONG ?? 200_000);
const SAMPLE_BUDGET_MS = 15_000;

// ---- measuring ----------------------------------------------------------------------------------

interface Stat {
  p50: number;
  p99: number;
  n: number;
}

async function measure(run: () => Promise<unknown>): Promise<Stat> {
  const warm: number[] = [];
  const warmStart = performance.now();
  for (let i = 0; i < WARMUP; i++) {
    const t0 = performance.now();
    await run();
    warm.push(performance.now() - t0);
    if (i >= 2 && performance.now() - warmStart > 5_000) break;
  }
  const mean = warm.length ? warm.reduce((a, b) => a + b, 0) / warm.length : 0;
  const n =
    mean > 0
      ? Math.max(Math.min(SAMPLES, 30), Math.min(SAMPLES, Math.floor(SAMPLE_BUDGET_MS / mean)))
      : SAMPLES;
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), n };
}

interface Op {
  key: string;
  label: string;
  /** Runs the operation on a database handle (the plain one to time, the recording one to explain). */
  run: (db: Db) => Promise<unknown>;
  /** What one run returned, in a few words: proof that it did real work. */
  check: (result: unknown) => string;
  /** The send writes: its plans are replayed inside a rolled-back transaction. */
  writes?: boolean;
}

function operations(fx: Fixture): Op[] {
  let sent = 0;
  type Threads = Awaited<ReturnType<typeof listThreads>>;
  type Page = Awaited<ReturnType<typeof readMessagePage>>;
  const threadsCheck = (r: unknown) => {
    const p = r as Threads;
    const unread = p.threads.reduce((a, t) => a + t.unreadCount, 0);
    return `${p.threads.length} threads, ${unread} unread on the page, next page: ${p.nextCursor ? 'yes' : 'no'}`;
  };
  const pageCheck = (r: unknown) => {
    const p = r as Page;
    return `${p.messages.length} messages, seq ${p.messages[0]?.seq}…${p.messages.at(-1)?.seq}, hasOlder ${p.hasOlder}`;
  };
  return [
    {
      key: 'threads',
      label: 'listThreads first page (20)',
      run: (db) => listThreads({ db }, { userId: fx.focalId, limit: 20 }),
      check: threadsCheck,
    },
    {
      key: 'threadsUnread',
      label: 'listThreads unread:true (20)',
      run: (db) => listThreads({ db }, { userId: fx.focalId, limit: 20, unread: true }),
      check: threadsCheck,
    },
    {
      key: 'newest',
      label: 'readMessagePage newest (50)',
      run: (db) => readMessagePage(db, fx.longThreadId, { limit: 50 }),
      check: pageCheck,
    },
    {
      key: 'deep',
      label: 'readMessagePage deep cursor (50)',
      run: (db) => readMessagePage(db, fx.longThreadId, { limit: 50, before: fx.deepCursor }),
      check: pageCheck,
    },
    {
      key: 'listMessages',
      label: 'listMessages newest (access + page)',
      run: (db) =>
        listMessages({ db }, { userId: fx.focalId, threadId: fx.longThreadId, query: { limit: 50 } }),
      check: pageCheck,
    },
    {
      key: 'unread1k',
      label: 'countUnread long thread, 1,000 behind',
      run: (db) => countUnread(db, fx.longThreadId, fx.focalId, Math.max(0, fx.longThreadLength - 1000)),
      check: (r) => `${String(r)} unread`,
    },
    {
      key: 'unreadAll',
      label: 'countUnread long thread, pointer at 0',
      run: (db) => countUnread(db, fx.longThreadId, fx.focalId, 0),
      check: (r) => `${String(r)} unread`,
    },
    {
      key: 'dashboard',
      label: 'getInstructorDashboardStats',
      run: (db) => getInstructorDashboardStats({ db }, { userId: fx.focalId }),
      check: (r) => JSON.stringify(r),
    },
    {
      key: 'send',
      label: 'sendMessage (DIRECT, shared class)',
      run: (db) =>
        sendMessage(
          { db },
          { threadId: fx.sendThreadId, userId: fx.focalId, content: `bench send ${++sent}` },
        ),
      check: sendCheck,
      writes: true,
    },
    {
      key: 'sendClass',
      label: 'sendMessage (CLASS of 30)',
      run: (db) =>
        sendMessage(
          { db },
          { threadId: fx.classSendThreadId, userId: fx.focalId, content: `bench class send ${++sent}` },
        ),
      check: sendCheck,
      writes: true,
    },
  ];
}

const sendCheck = (r: unknown) => `seq ${(r as Awaited<ReturnType<typeof sendMessage>>).message.seq}`;

async function plansOf(op: Op, raw: Raw, capDb: Db): Promise<void> {
  if (!op.writes) {
    const statements = await capture(() => op.run(capDb));
    for (const [i, st] of statements.entries()) {
      const title =
        statements.length > 1 ? `${op.label} — statement ${i + 1}/${statements.length}` : op.label;
      printPlan(title, st, await explain(raw.query, st));
    }
    return;
  }
  // Record the statements of one send that is then rolled back, and replay them under EXPLAIN ANALYZE
  // in the same order in a transaction that is rolled back too: same state, same sequence number.
  const statements = await capture(() =>
    inTransaction(capDb, async (tx) => {
      await op.run(tx);
      throw new Rollback();
    }).catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    }),
  );
  await raw.rolledBack(async (q) => {
    for (const [i, st] of statements.entries()) {
      printPlan(`${op.label} — statement ${i + 1}/${statements.length}`, st, await explain(q, st));
    }
  });
}

// ---- per size -----------------------------------------------------------------------------------

type Results = Map<string, Stat>;

/**
 * Times the operations round-robin, one sample of each per round (in a rotating order), so that whatever else the machine
 * is doing weighs on each alike: the targets are ratios between them.
 */
async function measureInterleaved(list: Op[], db: Db): Promise<Results> {
  console.log(`  load average before measuring: ${os.loadavg()[0]?.toFixed(2)} (${os.cpus().length} CPUs)`);
  console.log(`  (interleaved: ${WARMUP} warm-up rounds, then ${SAMPLES} rounds of one run each)`);
  const samples = list.map(() => [] as number[]);
  const checks: string[] = [];
  for (const op of list) checks.push(op.check(await op.run(db)));
  for (let round = 0; round < WARMUP + SAMPLES; round++) {
    // Each round starts one further along, so that no operation always follows the same one.
    for (let k = 0; k < list.length; k++) {
      const i = (round + k) % list.length;
      const op = list[i]!;
      const t0 = performance.now();
      await op.run(db);
      if (round >= WARMUP) samples[i]?.push(performance.now() - t0);
    }
  }
  const results: Results = new Map();
  for (const [i, op] of list.entries()) {
    const sorted = (samples[i] ?? []).sort((a, b) => a - b);
    const stat = { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), n: sorted.length };
    results.set(op.key, stat);
    console.log(
      `  ${op.label.padEnd(40)} ${stat.p50.toFixed(2).padStart(8)} ${stat.p99.toFixed(2).padStart(8)} ${String(stat.n).padStart(5)}  ${checks[i]}`,
    );
  }
  return results;
}

/** Times each operation in turn, printing a row per operation. */
async function measureAll(list: Op[], db: Db): Promise<Results> {
  const results: Results = new Map();
  // Other processes on the machine skew the figures: say how busy it was.
  console.log(`  load average before measuring: ${os.loadavg()[0]?.toFixed(2)} (${os.cpus().length} CPUs)`);
  console.log(
    `\n  ${'operation'.padEnd(40)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'n'.padStart(5)}  result`,
  );
  for (const op of list) {
    const check = op.check(await op.run(db));
    const stat = await measure(() => op.run(db));
    results.set(op.key, stat);
    console.log(
      `  ${op.label.padEnd(40)} ${stat.p50.toFixed(2).padStart(8)} ${stat.p99.toFixed(2).padStart(8)} ${String(stat.n).padStart(5)}  ${check}`,
    );
  }
  return results;
}

async function runSize(total: number, ops: { key: string; label: string }[]): Promise<Results> {
  console.log(`\n=== ${total.toLocaleString('en-US')} messages ===`);
  return withScratchDatabase(async (database) => {
    const { raw, capDb } = attach(database);
    const fx = await load(raw, total);
    await describeData(raw, fx);
    const list = operations(fx);
    const results = await measureAll(list, database.db);
    if (ops.length === 0) ops.push(...list.map(({ key, label }) => ({ key, label })));
    if (PLANS) {
      console.log(`\n  EXPLAIN (ANALYZE, BUFFERS) at ${total.toLocaleString('en-US')} messages:`);
      for (const op of list) await plansOf(op, raw, capDb);
    }
    return results;
  });
}

// ---- read-path targets --------------------------------------------------------------------------

const WIDE_THREADS = 5_000;
const NARROW_THREADS = 200;

interface TargetFixture {
  wideId: string;
  narrowId: string;
  /** In the long thread only, with the pointer wherever the case puts it. */
  lateId: string;
  longThreadId: string;
}

/**
 * A wide reader in 5,000 DIRECT threads and a narrow one in 200 (two messages each from the other
 * side, a third of them unread, activity spread over 60 days), and one CLASS thread of LONG messages
 * with a late reader of its own, so that it does not weigh on either thread list.
 */
async function loadTargets(raw: Raw): Promise<TargetFixture> {
  const t0 = performance.now();
  const statements = [
    // k: 0 the wide reader, -1 the narrow one, -2 the long thread's poster, -3 its late reader, 1… students.
    `create table bench_t_users (k int primary key, id text not null default gen_random_uuid()::text)`,
    `insert into bench_t_users (k) select k from generate_series(-3, ${WIDE_THREADS}) k`,
    `insert into users (id, name, email, role, email_verified, created_at)
       select id, case k when 0 then 'Wide Reader' when -1 then 'Narrow Reader' when -2 then 'Poster' when -3 then 'Late Reader'
         else 'Student ' || k end, 't' || (k + 3) || '@bench.test',
         (case when k <= 0 then 'INSTRUCTOR' else 'STUDENT' end)::user_role, true, now() - interval '400 days'
       from bench_t_users`,
    `create table bench_t_threads (reader_id text not null, student_id text not null, k int not null,
       thread_id text not null default gen_random_uuid()::text, at timestamptz not null)`,
    `insert into bench_t_threads (reader_id, student_id, k, at)
       select r.id, s.id, s.k, now() - make_interval(mins => (s.k * 7919 + r.k * 13) % 86400)
       from bench_t_users r
       join bench_t_users s on s.k between 1 and case r.k when 0 then ${WIDE_THREADS} else ${NARROW_THREADS} end
       where r.k in (0, -1)`,
    `insert into message_threads (id, type, created_by_id, direct_key, last_message_seq, last_message_at,
         created_at, updated_at)
       select thread_id, 'DIRECT', reader_id,
         least(reader_id collate "C", student_id collate "C") || ':' || greatest(reader_id collate "C", student_id collate "C"),
         2, at, at - interval '1 day', at
       from bench_t_threads`,
    `insert into message_participants (thread_id, user_id, joined_at, last_seen_at, last_read_seq, activity_at)
       select thread_id, reader_id, at - interval '1 day', at, case when k % 3 = 0 then 0 else 2 end, at
         from bench_t_threads
       union all
       select thread_id, student_id, at - interval '1 day', at, 2, at from bench_t_threads`,
    `insert into messages (thread_id, sender_id, content, seq, created_at)
       select thread_id, student_id, 'Question ' || s || ' of student ' || k, s, at - (2 - s) * interval '1 minute'
       from bench_t_threads cross join generate_series(1, 2) s
       order by 5`,
    `create table bench_t_long (id text not null default gen_random_uuid()::text,
       class_id text not null default gen_random_uuid()::text)`,
    `insert into bench_t_long default values`,
    `insert into classes (id, name, code) select class_id, 'Long class', 'BENCH-LONG' from bench_t_long`,
    `insert into message_threads (id, type, class_id, created_by_id, title, last_message_seq, last_message_at,
         created_at)
       select l.id, 'CLASS', l.class_id, u.id, 'Long thread', ${LONG}, now(), now() - interval '200 days'
       from bench_t_long l, bench_t_users u where u.k = -2`,
    `insert into message_participants (thread_id, user_id, last_read_seq)
       select l.id, u.id, case when u.k = -2 then ${LONG} else 0 end
       from bench_t_long l, bench_t_users u where u.k in (-2, -3)`,
    `insert into messages (thread_id, sender_id, content, seq, created_at)
       select l.id, u.id, 'Announcement ' || s, s, now() - (${LONG} - s) * interval '1 minute'
       from bench_t_long l, bench_t_users u, generate_series(1, ${LONG}) s where u.k = -2`,
  ];
  for (const text of statements) await raw.query(text);
  const [fx] = await raw.query(
    `select (select id from bench_t_users where k = 0) as wide, (select id from bench_t_users where k = -1) as narrow,
       (select id from bench_t_users where k = -3) as late,
       (select id from bench_t_long) as long`,
  );
  if (!fx) throw new Error('target fixture lookup failed');
  for (const text of ['drop table bench_t_threads', 'drop table bench_t_users', 'drop table bench_t_long']) {
    await raw.query(text);
  }
  for (const text of ['vacuum analyze', 'checkpoint']) await raw.query(text);
  console.log(
    `  load: readers in ${WIDE_THREADS.toLocaleString('en-US')} and ${NARROW_THREADS} threads, ` +
      `a ${LONG.toLocaleString('en-US')}-message thread: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return {
    wideId: String(fx.wide),
    narrowId: String(fx.narrow),
    lateId: String(fx.late),
    longThreadId: String(fx.long),
  };
}

function targetOperations(fx: TargetFixture): Op[] {
  const threadsCheck = (r: unknown) => {
    const p = r as Awaited<ReturnType<typeof listThreads>>;
    const unread = p.threads.reduce((a, t) => a + t.unreadCount, 0);
    return `${p.threads.length} threads, ${unread} unread on the page, next page: ${p.nextCursor ? 'yes' : 'no'}`;
  };
  const list = (userId: string, unread: boolean) => (db: Db) =>
    listThreads({ db }, { userId, limit: 20, unread });
  const count = (afterSeq: number) => (db: Db) => countUnread(db, fx.longThreadId, fx.lateId, afterSeq);
  return [
    {
      key: 'unreadAt0',
      label: `countUnread ${sizeLabel(LONG)} thread, pointer at 0`,
      run: count(0),
      check: String,
    },
    {
      key: 'unread1kBehind',
      label: `countUnread ${sizeLabel(LONG)} thread, 1,000 behind`,
      run: count(Math.max(0, LONG - 1000)),
      check: String,
    },
    {
      key: 'listWide',
      label: `listThreads first page, ${sizeLabel(WIDE_THREADS)} threads`,
      run: list(fx.wideId, false),
      check: threadsCheck,
    },
    {
      key: 'listNarrow',
      label: `listThreads first page, ${NARROW_THREADS} threads`,
      run: list(fx.narrowId, false),
      check: threadsCheck,
    },
    {
      key: 'listWideUnread',
      label: `listThreads unread, ${sizeLabel(WIDE_THREADS)} threads`,
      run: list(fx.wideId, true),
      check: threadsCheck,
    },
    {
      key: 'listNarrowUnread',
      label: `listThreads unread, ${NARROW_THREADS} threads`,
      run: list(fx.narrowId, true),
      check: threadsCheck,
    },
  ];
}

async function runTargets(): Promise<void> {
  console.log(`\n=== read-path targets ===`);
  await withScratchDatabase(async (database) => {
    const { raw, capDb } = attach(database);
    const list = targetOperations(await loadTargets(raw));
    const results = await measureInterleaved(list, database.db);
    if (PLANS) for (const op of list) await plansOf(op, raw, capDb);
    const ratio = (label: string, a: string, b: string, target = true) => {
      const x = results.get(a)?.p50;
      const y = results.get(b)?.p50;
      if (!x || !y) return;
      console.log(
        `${label}: ${x.toFixed(2)} / ${y.toFixed(2)} = ${(x / y).toFixed(2)}×${target ? `  (≤1.3×) ${verdict(x / y <= 1.3)}` : ''}`,
      );
    };
    console.log(`\n=== read-path targets (${MODE === 'postgres' ? 'PostgreSQL' : 'PGlite'}; p50 ms) ===`);
    ratio(
      `countUnread pointer at 0 / 1,000 behind (${sizeLabel(LONG)} thread)`,
      'unreadAt0',
      'unread1kBehind',
    );
    ratio(
      `thread list first page ${sizeLabel(WIDE_THREADS)} / ${NARROW_THREADS} threads`,
      'listWide',
      'listNarrow',
    );
    ratio(
      `thread list unread ${sizeLabel(WIDE_THREADS)} / ${NARROW_THREADS} threads (no target)`,
      'listWideUnread',
      'listNarrowUnread',
      false,
    );
  });
}

// ---- summary ------------------------------------------------------------------------------------

function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

function summarize(ops: { key: string; label: string }[], bySize: Map<number, Results>): void {
  const sizes = [...bySize.keys()];
  const small = sizes[0];
  const large = sizes.at(-1);
  console.log(`\n=== summary (${MODE === 'postgres' ? 'PostgreSQL' : 'PGlite'}; ms) ===`);
  const cols = sizes.flatMap((s) => [`p50@${sizeLabel(s)}`, `p99@${sizeLabel(s)}`]);
  const scaling = small !== undefined && large !== undefined && small !== large;
  const ratioHead = scaling ? `${sizeLabel(large)}/${sizeLabel(small)} p50 (≤1.3×)` : '';
  console.log(`${'operation'.padEnd(40)} ${cols.map((c) => c.padStart(9)).join(' ')}  ${ratioHead}`);
  for (const { key, label } of ops) {
    const cells = sizes.flatMap((s) => {
      const st = bySize.get(s)?.get(key);
      return [st?.p50, st?.p99].map((v) => (v === undefined ? '-' : v.toFixed(2)).padStart(9));
    });
    let ratio = '';
    if (scaling) {
      const a = bySize.get(small)?.get(key)?.p50;
      const b = bySize.get(large)?.get(key)?.p50;
      if (a && b) {
        ratio = `${(b / a).toFixed(2).padStart(6)}×  ${verdict(b / a <= 1.3)}`;
        if (key === 'unreadAll') ratio += '  (counts every message of the thread: O(unread) by design)';
      }
    }
    console.log(`${label.padEnd(40)} ${cells.join(' ')}  ${ratio}`);
  }
  console.log('');
  for (const s of sizes) {
    const r = bySize.get(s);
    const first = r?.get('newest')?.p50;
    const deep = r?.get('deep')?.p50;
    if (first && deep) {
      console.log(
        `deep page / newest page @${sizeLabel(s)}: ${deep.toFixed(2)} / ${first.toFixed(2)} = ${(deep / first).toFixed(2)}×  (≤1.5×) ${verdict(deep / first <= 1.5)}`,
      );
    }
  }
  for (const s of sizes) {
    const send = bySize.get(s)?.get('send')?.p50;
    if (send === undefined) continue;
    const tail =
      MODE === 'postgres' ? verdict(send < 5) : 'n/a (the target is for PostgreSQL; this run is PGlite)';
    console.log(`send p50 @${sizeLabel(s)}: ${send.toFixed(2)} ms  (<5 ms on PostgreSQL) ${tail}`);
  }
}

// ---- main ---------------------------------------------------------------------------------------

cleanUpOnInterrupt();

if (SIZES.length === 0 || SIZES.some((n) => n < 10_000)) {
  console.error('BENCH_SIZES must be a comma-separated list of message counts of at least 10000');
  process.exit(2);
}
console.log(
  `bench:api on ${MODE === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (no DATABASE_URL)'}; ` +
    `sizes ${SIZES.map(sizeLabel).join(', ')}; ${WARMUP} warm-up runs, up to ${SAMPLES} samples per operation`,
);
const ops: { key: string; label: string }[] = [];
const bySize = new Map<number, Results>();
try {
  for (const total of [...SIZES].sort((a, b) => a - b)) bySize.set(total, await runSize(total, ops));
  summarize(ops, bySize);
  if (TARGETS) await runTargets();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
}
