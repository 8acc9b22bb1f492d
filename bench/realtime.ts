// Realtime delivery against a bare Socket.IO server: `npm run bench:realtime`.
//
// It measures the way issue 14's independent harness does, in one run, on this machine:
//   bare  a bare Socket.IO server of the app's version (bench/bare-server.ts: no database, no auth,
//         the in-memory adapter) that acknowledges a send and broadcasts it to the thread's room;
//   bare-db   (PostgreSQL only; BENCH_BARE_DB=0 leaves it out) the same bare server committing the
//         bare shape of a send (pgbench's transaction below, as one prepared statement on a pool of
//         10) before it delivers: the least a database-backed server can do in this harness, a
//         reference for reading the app's ratios;
//   app   the app's send → persist → deliver path: createRealtime (src/realtime/io.ts) in the test
//         node process (tests/support/realtime-node.ts), real better-auth session cookies in the
//         handshake, every send a sendMessage transaction on the real database, delivered through
//         the change feed's sequencer and dispatcher; the Redis adapter when REDIS_URL is set.
// One client per user: every socket is its own signed-in user. The app node and the bare server
// are each pinned to core 0 (taskset), the clients here (the generator) and pgbench to core 1;
// PostgreSQL and Redis are left to the scheduler.
//
// Scenarios:
//   direct  1:1 threads: BENCH_PAIRS DIRECT instructor–student pairs (150 → 300 clients, fan-out 2)
//   class   class threads: BENCH_CLASSES threads of BENCH_CLASS_SIZE students + their instructor
//           (10 × 31 → 310 clients, fan-out 31)
//   memory  heap and RSS per idle socket: BENCH_SOCKETS sockets (2,000), each its own user, on a
//           fresh server process started with --expose-gc, measured after full GCs before
//           connecting and after they have all been idle 2 s
//
// Before its first probe each server runs BENCH_WARMUP_MS (10 s) at half its search's start rate,
// unmeasured: a fresh process is cold (JIT, per-connection prepared statements and plans).
// A probe is an open loop at a fixed send rate, round-robin over every client of the scenario: a
// 1 s warm-up, then BENCH_PROBE_MS (10 s) measured. Latency = receipt of each new-message − the
// send's scheduled time (same clock; scheduled, not actual, so a stalled generator or server
// counts), over every delivery of the sends scheduled in the window. After the probe, every
// acknowledged send's deliveries are awaited; any missing are lost. A probe passes when p99 < 50 ms,
// nothing is lost and no send was refused.
// max = the highest passing rate, found by search (double until a probe fails, then bisect to 10%)
// and confirmed by a rerun at that rate (if the rerun fails, 15% lower, up to six times). The
// search runs BENCH_ROUNDS (2) times per server, interleaved bare, app, bare, app, and the report
// says how far apart the rounds' maxima are (target: within 15%). Then each server gets a 5 s probe
// at half the lower of its maxima (the p50/p99 "at half max").
// On PostgreSQL, pgbench (pinned to the generator's core) runs the bare shape of a send — bump one
// of 150 thread counters, insert the message, commit — with BENCH_PGBENCH_CLIENTS (10, the app's
// pool size: the app never has more transactions open at once) flat out, and at the app's half
// rate (-R, latency from the scheduled start, as the probes measure), for the targets
// "1:1 app max ÷ pgbench ≥ 0.5×" and "app p99 at half max within 3× of pgbench's p99 at that rate".
// At the end (no app process up), pgbench also runs the app's own send write (cm_send_messages into
// the 1:1 threads, then again with cm_number_feed after each) flat out: what the database alone
// allows the app's ratio to pgbench, before any of the app's code runs.
// Lock waits with 16 clients in 16 threads are sampled by `npm run bench:sends`.
//
//   DATABASE_URL=postgres://…   the app on PostgreSQL: a scratch database cm_bench_rt_<random> made
//                               through that (admin) URL and dropped afterwards, also on error/Ctrl-C.
//                               Without it: PGlite in a temp folder (removed afterwards).
//   REDIS_URL=redis://…         the app node uses the Redis adapter (the bare server never does).
//   BENCH_SCENARIOS=direct,class,memory   which parts to run (default all three).
//   BENCH_PROBE_MS=10000  BENCH_HALF_MS=5000  BENCH_ROUNDS=2   probe window, half-max window, rounds
//                               (10 s: one 40 ms stall fails a 3 s probe but not a 10 s one; the app's
//                               two maxima were 54% apart with 3 s probes and equal with 10 s).
//   BENCH_SOCKETS=2000          idle sockets (and users) of the memory part.
//   BENCH_PAIRS=150, BENCH_CLASSES=10, BENCH_CLASS_SIZE=30   the scenarios' sizes.
//   BENCH_HISTORY=10            messages per participant already in each thread before the run
//                               (inserted in SQL, all read; 0 for none), then ANALYZE.
//   BENCH_PIN=0                 do not pin (taskset); BENCH_VERBOSE=0 hides each probe's line.
//   BENCH_KEEP=1                keep the scratch database / folder (printed).
//   NODE_LOG_LEVEL=info         the app node's log level (default warn); its log lines go to stderr.
//   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"   extra node flags for the app node.
//   BENCH_VACUUM_BETWEEN=1      diagnosis: VACUUM the app's database between scenarios (PostgreSQL).
//   BENCH_RATES=20,30,40        diagnosis: no search and no report, only app probes at these rates
//                               (each line also shows the app node's event-loop delay and GC pauses).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { SEND_STAGES } from '@/platform/metrics';
import {
  NAMESPACE,
  SOCKET_PATH,
  type Ack,
  type ClientToServerEvents,
  type SendResult,
  type ServerToClientEvents,
} from '@/realtime/contract';
import { createClass, createDirectPair, createThread, createUser, enrollStudent } from '../tests/factories';
import { installTestServices, mintSessionCookies } from '../tests/support/api';
import { createScratchPostgres } from '../tests/support/db';
import { spawnListening } from '../tests/support/node-process';
import { spawnAppNode, unlimited } from '../tests/support/realtime';

process.env.LOG_LEVEL ||= 'silent'; // env() is parsed lazily, on the first log line

function num(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`${name} must be a positive number (got ${raw})`);
    process.exit(2);
  }
  return n;
}

const PROBE_MS = num('BENCH_PROBE_MS', 10_000);
const PROBE_WARMUP_MS = 1_000;
const PROBE_PAUSE_MS = 300;
const HALF_MS = num('BENCH_HALF_MS', 5_000);
const ROUNDS = Math.round(num('BENCH_ROUNDS', 2));
const P99_LIMIT_MS = 50;
const SEARCH_PRECISION = 0.1;
const CONFIRM_ATTEMPTS = 6;
const RATE_CAP = 200_000;
const ACK_TIMEOUT_MS = 10_000;
const PGBENCH_CLIENTS = Math.round(num('BENCH_PGBENCH_CLIENTS', 10));
const PGBENCH_SECONDS = 8;
const VERBOSE = process.env.BENCH_VERBOSE !== '0';
/** Each server's unmeasured warm-up before its first probe (BENCH_WARMUP_MS; 0 for none). */
const WARMUP_MS = Math.round(num('BENCH_WARMUP_MS', 10_000));
/** Where each search starts (sends/s): near the expected order of magnitude, to save probes. */
const START_RATES = {
  direct: { bare: 2_000, 'bare-db': 1_000, app: 200 },
  class: { bare: 500, 'bare-db': 200, app: 50 },
} as const;
const SOCKETS = Math.round(num('BENCH_SOCKETS', 2_000));
const PAIRS = Math.round(num('BENCH_PAIRS', 150));
const CLASSES = Math.round(num('BENCH_CLASSES', 10));
const CLASS_SIZE = Math.round(num('BENCH_CLASS_SIZE', 30));
const HISTORY = Math.round(Number(process.env.BENCH_HISTORY ?? 10));
const PARTS = new Set(
  (process.env.BENCH_SCENARIOS ?? 'direct,class,memory')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const KEEP = process.env.BENCH_KEEP === '1';
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const FIXED_RATES = (process.env.BENCH_RATES ?? '')
  .split(',')
  .map(Number)
  .filter((n) => Number.isFinite(n) && n > 0);
const POSTGRES_URL = process.env.DATABASE_URL?.trim() || undefined;
/** On PostgreSQL, also search the bare+db server (BENCH_BARE_DB=0 leaves it out). */
const WITH_BARE_DB = process.env.BENCH_BARE_DB !== '0';
/** Diagnosis: VACUUM the app's PostgreSQL database between scenarios (BENCH_VACUUM_BETWEEN=1). */
const VACUUM_BETWEEN = process.env.BENCH_VACUUM_BETWEEN === '1';
const REDIS_URL = process.env.REDIS_URL?.trim() || undefined;
const AUTH_SECRET = 'x'.repeat(32); // the secret installTestServices signs its cookies with
const BARE_MAIN = path.resolve(import.meta.dirname, 'bare-server.ts');
const CONNECT_TIMEOUT_MS = 30_000;
const DRAIN_TIMEOUT_MS = 20_000;
const PADDING = 'The quick brown fox jumps over the lazy dog while the class discusses homework. ';
const CLK_TCK = 100; // /proc/<pid>/stat ticks per second on Linux

if (!Number.isInteger(HISTORY) || HISTORY < 0) {
  console.error('BENCH_HISTORY must be a whole number ≥ 0');
  process.exit(2);
}
for (const part of PARTS) {
  if (!['direct', 'class', 'memory'].includes(part)) {
    console.error(`BENCH_SCENARIOS: unknown part "${part}" (use direct, class, memory)`);
    process.exit(2);
  }
}

// ---- helpers ------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

/** Runs fn over items with at most `limit` at a time, in order of the items. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** CPU time (user + system) of another process in ms, from /proc; undefined where there is none. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (ms) of every PostgreSQL process on this machine (the app's database when it is local),
 * per pid: backends come and go, so a window's figure sums the growth of the pids seen at its end.
 */
function postgresCpuMs(): Map<number, number> | undefined {
  if (!POSTGRES_URL) return undefined;
  const out = new Map<number, number>();
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return undefined;
  }
  return out.size ? out : undefined;
}

function postgresCpuPercent(
  a: Map<number, number> | undefined,
  b: Map<number, number> | undefined,
  seconds: number,
): number | undefined {
  if (!a || !b) return undefined;
  let ms = 0;
  for (const [pid, cpu] of b) ms += cpu - (a.get(pid) ?? 0);
  return ms / 10 / seconds;
}

const cpuPercent = (a: number | undefined, b: number | undefined, seconds: number) =>
  a !== undefined && b !== undefined ? (b - a) / 10 / seconds : undefined;

function selfCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const load1 = () => Number(os.loadavg()[0]?.toFixed(2));
const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || !Number.isFinite(n)
    ? '-'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

// ---- cleanup ------------------------------------------------------------------------------------

const cleanups = new Set<() => Promise<void>>();

async function runCleanups(): Promise<void> {
  for (const c of [...cleanups].reverse()) await c().catch(() => {});
  cleanups.clear();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers and removing the scratch database`);
    void runCleanups().finally(() => process.exit(130));
  });
}

// ---- servers ------------------------------------------------------------------------------------

type ServerKind = 'bare' | 'bare-db' | 'app';

interface Target {
  kind: ServerKind;
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

interface NodeMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  gc: boolean;
}

/** Keeps a started server in the cleanups until it is stopped. */
function tracked(target: Omit<Target, 'stop'>, stop: () => Promise<void>): Target {
  let stopped: Promise<void> | undefined;
  const once = () => (stopped ??= stop());
  cleanups.add(once);
  return {
    ...target,
    stop: async () => {
      cleanups.delete(once);
      await once();
    },
  };
}

/** The bare server; with `databaseUrl`, the bare+db server (each send commits the bare shape first). */
async function startBare(nodeArgs: string[] = [], databaseUrl?: string): Promise<Target> {
  const { child, port, exited } = await spawnListening(BARE_MAIN, {
    nodeArgs,
    label: databaseUrl ? 'bare+db server' : 'bare server',
    env: databaseUrl ? { BARE_DATABASE_URL: databaseUrl, BARE_THREADS: String(PAIRS) } : {},
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const kind = databaseUrl ? 'bare-db' : 'bare';
  return tracked({ kind, url: `http://127.0.0.1:${port}`, pid: child.pid }, stop);
}

interface DbPlace {
  kind: 'pglite' | 'postgres';
  where: string;
  open(): Promise<Database>;
  /** The app node's database settings. */
  nodeEnv: { DATABASE_URL?: string; DATA_DIR?: string };
}

async function startApp(place: DbPlace, nodeArgs: string[] = []): Promise<Target> {
  const node = await spawnAppNode({ ...place.nodeEnv, REDIS_URL: REDIS_URL ?? '', AUTH_SECRET }, 0, {
    nodeArgs: [...NODE_ARGS, ...nodeArgs],
  });
  // The node logs (pino, NODE_LOG_LEVEL, default warn) to its stdout: pass them on, to stderr.
  node.child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return tracked({ kind: 'app', url: node.url, pid: node.child.pid }, async () => void (await node.stop()));
}

async function memoryOf(target: Target): Promise<NodeMemory> {
  const res = await fetch(`${target.url}/__memory`);
  if (!res.ok) throw new Error(`GET /__memory answered ${res.status}`);
  return (await res.json()) as NodeMemory;
}

// ---- data ---------------------------------------------------------------------------------------

interface Person {
  id: string;
  name: string;
  cookie: string;
}

interface Thread {
  id: string;
  members: Person[];
}

interface Scenario {
  key: 'direct' | 'class';
  label: string;
  threads: Thread[];
}

async function prepareDatabase(): Promise<DbPlace> {
  if (POSTGRES_URL) {
    const scratch = await createScratchPostgres('cm_bench_rt');
    const drop = async () => {
      if (KEEP) console.log(`  BENCH_KEEP=1: kept PostgreSQL database ${scratch.name}`);
      else await scratch.drop();
    };
    cleanups.add(drop);
    return {
      kind: 'postgres',
      where: `PostgreSQL scratch database ${scratch.name}`,
      open: () => openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 10 }),
      nodeEnv: { DATABASE_URL: scratch.url },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-bench-rt-'));
  cleanups.add(async () => {
    if (KEEP) console.log(`  BENCH_KEEP=1: kept PGlite folder ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    kind: 'pglite',
    where: `PGlite in ${dataDir}`,
    open: () => openDatabase({ kind: 'pglite', dataDir }),
    nodeEnv: { DATA_DIR: dataDir },
  };
}

/** Users, classes and threads through the factories; a session cookie per user through sign-in. */
async function seed(place: DbPlace): Promise<{ scenarios: Scenario[]; people: Person[] }> {
  const database = await place.open();
  try {
    let t0 = performance.now();
    await migrateDatabase(database);
    const { db } = database;
    const api = installTestServices(db, { rateLimiter: unlimited });
    const users: Array<{ id: string; name: string; email: string }> = [];
    const direct: Array<{ id: string; members: typeof users }> = [];
    const classThreads: Array<{ id: string; members: typeof users }> = [];
    if (PARTS.has('direct')) {
      const pairs = await mapLimit(Array.from({ length: PAIRS }), 8, () => createDirectPair(db));
      for (const { instructor, student, thread } of pairs) {
        direct.push({ id: thread.id, members: [instructor, student] });
        users.push(instructor, student);
      }
    }
    if (PARTS.has('class')) {
      for (let c = 0; c < CLASSES; c++) {
        const instructor = await createUser(db, { role: 'INSTRUCTOR' });
        const cls = await createClass(db, { instructors: [{ id: instructor.id }] });
        const students = await mapLimit(Array.from({ length: CLASS_SIZE }), 8, async () => {
          const student = await createUser(db);
          await enrollStudent(db, { classId: cls.id, studentId: student.id });
          return student;
        });
        const thread = await createThread(db, {
          type: 'CLASS',
          classId: cls.id,
          createdById: instructor.id,
          participantIds: students.map((s) => s.id),
          title: `Bench class ${c + 1}`,
        });
        classThreads.push({ id: thread.id, members: [instructor, ...students] });
        users.push(instructor, ...students);
      }
    }
    // The memory part: each idle socket its own user, so top up with students in no thread.
    if (PARTS.has('memory') && users.length < SOCKETS) {
      users.push(
        ...(await mapLimit(Array.from({ length: SOCKETS - users.length }), 8, () => createUser(db))),
      );
    }
    // A history in every thread (HISTORY messages per participant, senders rotating, everything
    // read), then settled statistics, as bench:api has: the planner sees a table with messages
    // rather than the empty one of a fresh database. Nothing analyzes what the run adds: PGlite has
    // no autovacuum, and the server's own setting is printed for PostgreSQL.
    await database.db.execute(sql`
      insert into messages (thread_id, sender_id, content, seq, created_at)
      select t.id, m.members[1 + s % cardinality(m.members)],
        'History message ' || s || ': ' || left(${PADDING}, 20 + s % 60), s,
        now() - interval '2 days' + s * interval '1 second'
      from message_threads t
      cross join lateral (select array_agg(p.user_id order by p.user_id) as members
        from message_participants p where p.thread_id = t.id) m
      cross join lateral generate_series(1, ${HISTORY} * cardinality(m.members)) s`);
    await database.db.execute(sql`
      update message_threads t set last_message_seq = x.n, last_message_at = x.at
      from (select thread_id, max(seq) as n, max(created_at) as at from messages group by thread_id) x
      where t.id = x.thread_id`);
    await database.db.execute(sql`
      update message_participants p set last_read_seq = t.last_message_seq, last_read_at = t.last_message_at
      from message_threads t where t.id = p.thread_id`);
    await database.db.execute(sql`analyze`);
    const [history] = await queryRows<{ n: string | number }>(
      database.db,
      sql`select count(*) as n from messages`,
    );
    const autovacuum =
      place.kind === 'postgres'
        ? String((await queryRows<{ autovacuum: string }>(database.db, sql`show autovacuum`))[0]?.autovacuum)
        : 'none (PGlite)';
    const seeded = performance.now() - t0;
    t0 = performance.now();
    // Real sessions, checked by better-auth in every handshake; minted in bulk rather than signed
    // in one by one (scrypt: about 50 ms a user).
    const cookies = await mintSessionCookies(
      db,
      users.map((u) => u.id),
    );
    // One real sign-in, so a regression in the minted cookies' shape fails loudly here.
    const [first] = users;
    if (first) await api.cookieFor(first);
    const signedIn = performance.now() - t0;
    console.log(
      `  seeded ${users.length} users, ${direct.length} DIRECT and ${classThreads.length} CLASS threads ` +
        `in ${(seeded / 1000).toFixed(1)} s; ${users.length} sessions in ${(signedIn / 1000).toFixed(1)} s`,
    );
    console.log(
      `  history: ${Number(history?.n ?? 0).toLocaleString('en-US')} messages (${HISTORY} per participant per thread), all read; ` +
        `statistics: ANALYZE after seeding, none during the run; autovacuum of the app's database: ${autovacuum}`,
    );
    machine.autovacuum = autovacuum;
    const person = (u: { id: string; name: string }): Person => ({
      id: u.id,
      name: u.name,
      cookie: cookies.get(u.id)!,
    });
    const scenarios: Scenario[] = [];
    if (PARTS.has('direct')) {
      scenarios.push({
        key: 'direct',
        label: `1:1 (${direct.length} pairs)`,
        threads: direct.map((t) => ({ id: t.id, members: t.members.map(person) })),
      });
    }
    if (PARTS.has('class')) {
      scenarios.push({
        key: 'class',
        label: `class-${CLASS_SIZE} (${classThreads.length}×${CLASS_SIZE + 1})`,
        threads: classThreads.map((t) => ({ id: t.id, members: t.members.map(person) })),
      });
    }
    return { scenarios, people: users.map(person) };
  } finally {
    // PGlite is one process's: the app node opens the folder after this.
    await database.close();
  }
}

// ---- clients ------------------------------------------------------------------------------------

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

interface ClientSpec {
  person: Person;
  /** The threads whose messages this client receives (the bare server joins their rooms). */
  threadIds: string[];
}

/**
 * What every client hears. Each probe registers its sends (clientMessageId → schedule and owed
 * deliveries), so a late delivery of an earlier probe is never counted for a later one.
 */
interface Pending {
  /** The send's scheduled time (open loop: a stalled generator or server counts against latency). */
  scheduled: number;
  fanout: number;
  received: number;
  /** In the measured window (after the warm-up): its deliveries are latency samples. */
  measured: boolean;
  acked: boolean;
}

class Recorder {
  pending = new Map<string, Pending>();
  latencies: number[] = [];
  /** Deliveries of sends no probe is waiting for (late ones of an earlier probe). */
  stray = 0;
  threadUpdates = 0;
  disconnects = 0;

  delivery(clientMessageId: string | null): void {
    const p = clientMessageId ? this.pending.get(clientMessageId) : undefined;
    if (!p) {
      this.stray++;
      return;
    }
    p.received++;
    if (p.measured) this.latencies.push(performance.now() - p.scheduled);
  }

  reset(): void {
    this.pending = new Map();
    this.latencies = [];
  }

  /** Deliveries still owed by acknowledged sends. */
  owed(): number {
    let n = 0;
    for (const p of this.pending.values()) if (p.acked) n += Math.max(0, p.fanout - p.received);
    return n;
  }
}

function connectOne(target: Target, spec: ClientSpec, rec: Recorder): Promise<Client> {
  const socket: Client = io(`${target.url}${NAMESPACE}`, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
    ...(target.kind === 'app'
      ? { extraHeaders: { cookie: spec.person.cookie } }
      : { auth: { userId: spec.person.id, name: spec.person.name, rooms: spec.threadIds } }),
  });
  socket.on('new-message', (p) => rec.delivery(p.message.clientMessageId));
  socket.on('thread-updated', () => void rec.threadUpdates++);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no sync from the ${target.kind} server within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    socket.once('sync', () => {
      clearTimeout(timer);
      socket.on('disconnect', () => void rec.disconnects++);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`connect to the ${target.kind} server failed: ${err.message}`));
    });
  });
}

/** Every socket still open, for the cleanup on error or Ctrl-C. */
const openSockets = new Set<Client>();
cleanups.add(async () => {
  for (const s of openSockets) s.close();
  openSockets.clear();
});

/** Connects every spec (a few at a time), each ready once its `sync` arrived; all or none. */
async function connectAll(
  target: Target,
  specs: ClientSpec[],
  rec: Recorder,
  concurrency = 50,
): Promise<Client[]> {
  try {
    return await mapLimit(specs, concurrency, async (spec) => {
      const socket = await connectOne(target, spec, rec);
      openSockets.add(socket);
      return socket;
    });
  } catch (err) {
    for (const s of openSockets) s.close();
    openSockets.clear();
    throw err;
  }
}

async function closeAll(clients: Client[]): Promise<void> {
  for (const c of clients) {
    c.close();
    openSockets.delete(c);
  }
  await sleep(300);
}

// ---- measuring ----------------------------------------------------------------------------------

interface Sender {
  client: Client;
  threadId: string;
  fanout: number;
}

/** One sender per client, interleaved over the threads so consecutive sends go to different threads. */
function sendersOf(scenario: Scenario, clientsByPerson: Map<string, Client>): Sender[] {
  const out: Sender[] = [];
  const longest = Math.max(...scenario.threads.map((t) => t.members.length));
  for (let j = 0; j < longest; j++) {
    for (const t of scenario.threads) {
      const m = t.members[j];
      if (m) out.push({ client: clientsByPerson.get(m.id)!, threadId: t.id, fanout: t.members.length });
    }
  }
  return out;
}

let sendCounter = 0;
const runTag = Date.now().toString(36);

function nextMessage(threadId: string) {
  const n = ++sendCounter;
  return {
    threadId,
    content: `Bench message ${n}: ${PADDING.slice(0, 40 + (n % 40))}`,
    clientMessageId: `bench-${runTag}-${n}`,
  };
}

interface ProbeResult {
  /** Offered sends/s (open loop). */
  rate: number;
  /** Offered deliveries/s: rate × the senders' mean fan-out. */
  deliveriesPerSec: number;
  p50: number;
  p99: number;
  max: number;
  samples: number;
  lost: number;
  errors: Record<string, number>;
  /** Stopped early: more than half a second of sends were waiting for their acknowledgement. */
  aborted: boolean;
  serverCpu: number | undefined;
  dbCpu: number | undefined;
  clientCpu: number;
  loadAverage: number;
  /** The app node's event-loop delay and GC pauses over the window (undefined for the bare server). */
  pauses?: NodePauses;
  pass: boolean;
}

interface NodePauses {
  loopP99Ms: number;
  loopMaxMs: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  /** The app node's heap in use when the probe ended (no GC forced). */
  heapUsedMb?: number;
}

/** The app node's pauses since the last call (which this starts over); undefined for the bare server. */
async function pausesOf(target: Target): Promise<NodePauses | undefined> {
  if (target.kind !== 'app') return undefined;
  const res = await fetch(`${target.url}/__pauses`).catch(() => undefined);
  return res?.ok ? ((await res.json()) as NodePauses) : undefined;
}

/**
 * Open loop at `rate` sends/s, round-robin over the senders: PROBE_WARMUP_MS of warm-up, then
 * `windowMs` measured. Latency = receipt of each new-message − the send's scheduled time, over every
 * delivery of the sends scheduled in the window. Then waits for every acknowledged send's
 * deliveries; any still missing after DRAIN_TIMEOUT_MS are lost. Passes when p99 < P99_LIMIT_MS,
 * nothing is lost and no send was refused.
 */
async function probe(
  target: Target,
  rec: Recorder,
  senders: Sender[],
  rate: number,
  windowMs = PROBE_MS,
): Promise<ProbeResult> {
  rec.reset();
  const errors: Record<string, number> = {};
  let inflight = 0;
  let aborted = false;
  const backlogLimit = Math.max(50, rate / 2);
  const interval = 1000 / rate;
  const begin = performance.now() + 5;
  const windowStart = begin + PROBE_WARMUP_MS;
  const windowEnd = windowStart + windowMs;
  let srv0: number | undefined;
  let db0: Map<number, number> | undefined;
  let cli0 = 0;
  let i = 0;
  await new Promise<void>((resolve) => {
    const finish = () => {
      clearInterval(timer);
      resolve();
    };
    const tick = () => {
      const now = performance.now();
      if (srv0 === undefined && now >= windowStart) {
        void pausesOf(target);
        srv0 = processCpuMs(target.pid);
        db0 = postgresCpuMs();
        cli0 = selfCpuMs();
      }
      for (;;) {
        const scheduled = begin + i * interval;
        if (scheduled > now) return;
        if (scheduled >= windowEnd) return finish();
        if (inflight > backlogLimit) {
          aborted = true;
          return finish();
        }
        const sender = senders[i % senders.length]!;
        const payload = nextMessage(sender.threadId);
        const entry: Pending = {
          scheduled,
          fanout: sender.fanout,
          received: 0,
          measured: scheduled >= windowStart,
          acked: false,
        };
        rec.pending.set(payload.clientMessageId, entry);
        inflight++;
        const done = (res: Ack<SendResult> | undefined) => {
          inflight--;
          if (!res) errors.TIMEOUT = (errors.TIMEOUT ?? 0) + 1;
          else if ('error' in res) errors[res.error.code] = (errors[res.error.code] ?? 0) + 1;
          else entry.acked = true;
        };
        sender.client
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck('send-message', payload)
          .then(done, () => done(undefined));
        i++;
      }
    };
    const timer = setInterval(tick, 1);
  });
  const srv1 = processCpuMs(target.pid);
  const db1 = postgresCpuMs();
  const cli1 = selfCpuMs();
  const pauses = await pausesOf(target);
  const elapsed = Math.max(0.001, (performance.now() - windowStart) / 1000);
  await until(() => inflight === 0, ACK_TIMEOUT_MS + 1_000);
  await until(() => rec.owed() === 0, DRAIN_TIMEOUT_MS);
  const lost = rec.owed();
  const latencies = rec.latencies.sort((a, b) => a - b);
  const fanout = senders.reduce((a, s) => a + s.fanout, 0) / senders.length;
  const p99 = percentile(latencies, 0.99);
  const result: ProbeResult = {
    rate,
    deliveriesPerSec: rate * fanout,
    p50: percentile(latencies, 0.5),
    p99,
    max: latencies.at(-1) ?? NaN,
    samples: latencies.length,
    lost,
    errors,
    aborted,
    // A probe aborted in its warm-up has no measured window.
    serverCpu: srv0 === undefined ? undefined : cpuPercent(srv0, srv1, elapsed),
    dbCpu: srv0 === undefined ? undefined : postgresCpuPercent(db0, db1, elapsed),
    clientCpu: srv0 === undefined ? NaN : (cli1 - cli0) / 10 / elapsed,
    loadAverage: load1(),
    pauses,
    pass:
      !aborted &&
      lost === 0 &&
      Object.keys(errors).length === 0 &&
      latencies.length > 0 &&
      p99 < P99_LIMIT_MS,
  };
  rec.reset();
  // After an overload the server (and its GC) gets longer to settle before the next probe.
  await sleep(result.pass ? PROBE_PAUSE_MS : 4 * PROBE_PAUSE_MS);
  return result;
}

function pausesNote(p: NodePauses | undefined): string {
  if (!p) return '';
  return (
    `; app loop delay p99 ${fmt(p.loopP99Ms, 1)} max ${fmt(p.loopMaxMs, 1)} ms, ` +
    `GC ${p.gcCount}× ${fmt(p.gcTotalMs)} ms (max ${fmt(p.gcMaxMs, 1)}), heap ${fmt(p.heapUsedMb)} MB`
  );
}

function probeLine(label: string, p: ProbeResult): string {
  const outcome = p.aborted ? 'aborted (backlog)' : `p50 ${fmt(p.p50, 1)} p99 ${fmt(p.p99, 1)} ms`;
  return (
    `    ${label} ${fmt(p.rate).padStart(6)} sends/s (${fmt(p.deliveriesPerSec).padStart(6)} deliv/s): ` +
    `${outcome}, server CPU ${fmt(p.serverCpu)}%${dbNote(p.dbCpu)}, bench CPU ${fmt(p.clientCpu)}%` +
    pausesNote(p.pauses) +
    errorsNote(p.errors, p.lost) +
    ` → ${p.pass ? 'pass' : 'fail'}`
  );
}

interface SearchResult {
  /** The highest rate that passed twice in a row (search, then the confirming rerun); 0 if none. */
  max: number;
  probes: number;
  seconds: number;
}

/**
 * The highest passing rate: doubles from `start` until a probe fails (or halves until one passes),
 * bisects (geometrically) until the bracket is within SEARCH_PRECISION, then reruns the best passing
 * rate; if the rerun fails the bracket moves down 15% and the rerun is tried again (six times).
 */
async function searchMax(
  target: Target,
  rec: Recorder,
  senders: Sender[],
  start: number,
): Promise<SearchResult> {
  const t0 = performance.now();
  let probes = 0;
  const run = async (rate: number, label: string) => {
    probes++;
    const r = await probe(target, rec, senders, rate);
    if (VERBOSE) console.log(probeLine(label, r));
    return r.pass;
  };
  const round = (n: number) => Math.max(1, Math.round(n));
  let lo = 0;
  let hi = Infinity;
  let rate = round(start);
  while (hi === Infinity && rate <= RATE_CAP) {
    if (await run(rate, 'up  ')) {
      lo = rate;
      rate = round(rate * 2);
    } else hi = rate;
  }
  if (lo === 0) {
    rate = round(hi / 2);
    while (lo === 0 && hi > 1) {
      if (await run(rate, 'down')) lo = rate;
      else {
        hi = rate;
        rate = round(rate / 2);
      }
    }
  }
  while (lo > 0 && hi !== Infinity && hi / lo > 1 + SEARCH_PRECISION && hi - lo > 1) {
    const mid = round(Math.sqrt(lo * hi));
    if (mid <= lo || mid >= hi) break;
    if (await run(mid, 'mid ')) lo = mid;
    else hi = mid;
  }
  let max = 0;
  for (let attempt = 0; attempt < CONFIRM_ATTEMPTS && lo > 0; attempt++) {
    if (await run(lo, 'conf')) {
      max = lo;
      break;
    }
    lo = round(lo * 0.85);
  }
  return { max, probes, seconds: (performance.now() - t0) / 1000 };
}

interface ServerScenario {
  server: ServerKind;
  rounds: SearchResult[];
  /** At half of the lower of the rounds' maxima. */
  half: ProbeResult | undefined;
  clients: number;
  fanout: number;
  disconnects: number;
}

interface ScenarioResult {
  scenario: Scenario['key'];
  label: string;
  byServer: Record<ServerKind, ServerScenario>;
  /** pgbench's p99 for the bare shape at the app's half rate (PostgreSQL only). */
  pgbenchAtAppHalf: PgbenchResult | undefined;
}

/** Connects one client per member of every thread, to one server. */
async function connectScenario(scenario: Scenario, target: Target, rec: Recorder) {
  const specs: ClientSpec[] = scenario.threads.flatMap((t) =>
    t.members.map((person) => ({ person, threadIds: [t.id] })),
  );
  const t0 = performance.now();
  const clients = await connectAll(target, specs, rec);
  console.log(
    `  ${scenario.label} ${target.kind}: ${clients.length} clients (one per user) ready in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const byPerson = new Map(specs.map((s, i) => [s.person.id, clients[i]!]));
  return { clients, senders: sendersOf(scenario, byPerson) };
}

async function runScenario(scenario: Scenario, targets: Target[]): Promise<ScenarioResult | undefined> {
  const sides = await Promise.all(
    targets.map(async (target) => {
      const rec = new Recorder();
      return { target, rec, ...(await connectScenario(scenario, target, rec)) };
    }),
  );
  try {
    // A fresh process is cold (V8 has compiled little, each pooled connection has prepared and
    // planned nothing yet), and its first probe paid for that: the app's search often failed its
    // start rate and then searched below it. Each server first runs, unmeasured, at half its start.
    for (const side of sides) {
      if (WARMUP_MS <= 0) break;
      const rate = START_RATES[scenario.key][side.target.kind] / 2;
      const warm = await probe(side.target, side.rec, side.senders, rate, WARMUP_MS);
      if (VERBOSE) console.log(probeLine(`warm-up (${side.target.kind}, not counted)`, warm));
    }
    if (FIXED_RATES.length) {
      const app = sides.find((side) => side.target.kind === 'app')!;
      for (const rate of FIXED_RATES) {
        const before = await stagesOf(app.target);
        console.log(probeLine('fixed', await probe(app.target, app.rec, app.senders, rate)));
        printStages(before, await stagesOf(app.target));
      }
      return undefined;
    }
    const rounds = new Map<ServerKind, SearchResult[]>(targets.map((t) => [t.kind, []]));
    for (let r = 1; r <= ROUNDS; r++) {
      // Interleaved: bare, app, bare, app, so a drift of the machine shows in both.
      for (const side of sides) {
        const start = START_RATES[scenario.key][side.target.kind];
        settleDatabase();
        const found = await searchMax(side.target, side.rec, side.senders, start);
        rounds.get(side.target.kind)!.push(found);
        console.log(
          `  ${scenario.label} ${side.target.kind.padEnd(4)} round ${r}: max ${fmt(found.max)} sends/s ` +
            `= ${fmt(found.max * side.senders[0]!.fanout)} deliveries/s (${found.probes} probes, ${found.seconds.toFixed(0)} s)`,
        );
      }
    }
    const byServer = {} as Record<ServerKind, ServerScenario>;
    for (const side of sides) {
      const found = rounds.get(side.target.kind)!;
      const lower = Math.min(...found.map((f) => f.max));
      settleDatabase();
      const stages0 = side.target.kind === 'app' ? await stagesOf(side.target) : undefined;
      const half =
        lower > 0
          ? await probe(side.target, side.rec, side.senders, Math.max(1, lower / 2), HALF_MS)
          : undefined;
      if (half) console.log(probeLine(`${side.target.kind} half`, half));
      if (half && stages0) printStages(stages0, await stagesOf(side.target));
      byServer[side.target.kind] = {
        server: side.target.kind,
        rounds: found,
        half,
        clients: side.clients.length,
        fanout: side.senders[0]!.fanout,
        disconnects: side.rec.disconnects,
      };
    }
    const appHalf = byServer.app?.half;
    const pgbenchAtAppHalf =
      appHalf && pgbenchPlace ? await pgbench(pgbenchPlace, { rate: appHalf.rate }) : undefined;
    if (pgbenchAtAppHalf) {
      console.log(
        `    pgbench, bare shape at the app's half rate (${fmt(appHalf!.rate)} TPS, ${PGBENCH_CLIENTS} clients): ` +
          `p50 ${fmt(pgbenchAtAppHalf.p50, 1)} p99 ${fmt(pgbenchAtAppHalf.p99, 1)} ms`,
      );
    }
    return { scenario: scenario.key, label: scenario.label, byServer, pgbenchAtAppHalf };
  } finally {
    for (const side of sides) await closeAll(side.clients);
  }
}

// ---- where a send's time goes (the app's cm_send_stage_seconds, read from the test node) ------

interface StageSample {
  labels: { stage?: string; le?: number | string };
  value: number;
  metricName?: string;
}

async function stagesOf(target: Target): Promise<StageSample[]> {
  const res = await fetch(`${target.url}/__stages`);
  if (!res.ok) throw new Error(`GET /__stages answered ${res.status}`);
  return ((await res.json()) as { values: StageSample[] }).values;
}

/** Per stage over the probe: count, mean, and the histogram bucket holding p50 and p99. */
function printStages(before: StageSample[], after: StageSample[]): void {
  const key = (v: StageSample) => `${v.metricName}|${v.labels.stage}|${v.labels.le ?? ''}`;
  const base = new Map(before.map((v) => [key(v), v.value]));
  const delta = after.map((v) => ({ ...v, value: v.value - (base.get(key(v)) ?? 0) }));
  const parts: string[] = [];
  for (const stage of SEND_STAGES) {
    const of = (suffix: string) =>
      delta.filter((v) => v.labels.stage === stage && v.metricName?.endsWith(suffix));
    const count = of('_count')[0]?.value ?? 0;
    if (!count) continue;
    const mean = ((of('_sum')[0]?.value ?? 0) / count) * 1000;
    const buckets = of('_bucket').filter((b) => b.labels.le !== '+Inf');
    const upTo = (q: number) => {
      const b = buckets.find((x) => x.value >= q * count);
      return b ? `≤${Number(b.labels.le) * 1000}` : '>2500';
    };
    parts.push(`${stage} ${mean.toFixed(1)} (p50 ${upTo(0.5)}, p99 ${upTo(0.99)})`);
  }
  console.log(`    app stages, ms mean (histogram bucket of p50, p99): ${parts.join('; ')}`);
}

function dbNote(cpu: number | undefined): string {
  return cpu === undefined ? '' : ` + postgres ${fmt(cpu)}%`;
}

function errorsNote(errors: Record<string, number>, lost: number): string {
  const parts = Object.entries(errors).map(([k, v]) => `${k} ${v}`);
  if (lost) parts.push(`lost deliveries ${lost}`);
  return parts.length ? `; ${parts.join(', ')}` : '';
}

// ---- pgbench ------------------------------------------------------------------------------------

interface PgbenchResult {
  tps: number;
  p50: number;
  p99: number;
  max: number;
  clients: number;
  rate: number | undefined;
}

let pgbenchPlace: { url: string } | undefined;

/** pgbench's transaction for the bare shape of a send: bump one of BENCH_PAIRS thread counters, insert. */
const BARE_SHAPE = [
  `\\set t random(1, ${PAIRS})`,
  'BEGIN;',
  'UPDATE bench_threads SET last_seq = last_seq + 1 WHERE id = :t;',
  `INSERT INTO bench_messages (thread_id, seq, content) SELECT id, last_seq, '${PADDING}' FROM bench_threads WHERE id = :t;`,
  'COMMIT;',
] as const;

/**
 * The app's own send write (what insertMessageBatched runs for one message: cm_send_messages, one
 * statement, its own commit) into one of the 1:1 scenario's DIRECT threads, with the same text;
 * with `numbered`, also a feed-numbering call (cm_number_feed, its own commit, as the sequencer's
 * pass) after each. Driven by pgbench, so no Node.js, Socket.IO, session or access check is in it:
 * how fast the database alone takes the app's write, against the bare shape on the same server.
 */
function appWriteShape(numbered: boolean): string[] {
  return [
    `\\set k random(1, ${PAIRS})`,
    'SELECT count(*) FROM cm_send_messages((SELECT input FROM bench_app_sends WHERE k = :k));',
    ...(numbered ? ['SELECT count(*) FROM cm_number_feed(500);'] : []),
  ];
}

/** The inputs of appWriteShape: one per DIRECT thread, sent by the thread's creator. */
async function prepareAppWrite(place: DbPlace): Promise<number> {
  const database = await place.open();
  try {
    await database.db.execute(sql`create table if not exists bench_app_sends as
      select row_number() over (order by t.id)::int as k,
        jsonb_build_array(jsonb_build_object('i', 0, 'thread_id', t.id, 'sender_id', t.created_by_id,
          'content', ${PADDING}::text)) as input
      from message_threads t where t.type = 'DIRECT' order by t.id limit ${PAIRS}`);
    const [row] = await queryRows<{ n: string | number }>(
      database.db,
      sql`select count(*) as n from bench_app_sends`,
    );
    return Number(row?.n ?? 0);
  } finally {
    await database.close();
  }
}

/**
 * The database's ceiling for the 1:1 ratio "app ÷ pgbench": the app's write (and write + numbering)
 * flat out in pgbench, as the bare shape is. Run when no app process is up (it leaves feed rows
 * unnumbered, which a running sequencer would deliver).
 */
async function pgbenchAppWrite(
  place: DbPlace,
): Promise<{ write: PgbenchResult; numbered: PgbenchResult } | undefined> {
  if (!pgbenchPlace || !PARTS.has('direct')) return undefined;
  if ((await prepareAppWrite(place)) < PAIRS) return undefined;
  const write = await pgbench(pgbenchPlace, { script: appWriteShape(false) });
  const numbered = await pgbench(pgbenchPlace, { script: appWriteShape(true) });
  return { write, numbered };
}

/**
 * The bare shape of a send in pgbench, on the same PostgreSQL: bump one of BENCH_PAIRS thread
 * counters, insert the message with that number, commit. Pinned to the generator's core, as the
 * clients are. With `rate`, pgbench schedules transactions (-R) and measures latency from the
 * scheduled start, as the probes do; without, it runs flat out (the throughput ceiling).
 */
async function pgbench(
  place: { url: string },
  opts: { rate?: number; script?: readonly string[] } = {},
): Promise<PgbenchResult> {
  settleDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-pgbench-'));
  try {
    const script = path.join(dir, 'send.sql');
    fs.writeFileSync(script, [...(opts.script ?? BARE_SHAPE), ''].join('\n'));
    const args = [
      '-c',
      String(GEN_CORE),
      'pgbench',
      '-n',
      '-f',
      script,
      '-c',
      String(PGBENCH_CLIENTS),
      '-j',
      '1',
      '-T',
      String(PGBENCH_SECONDS),
      '-l',
      '--log-prefix',
      path.join(dir, 'log'),
      ...(opts.rate ? ['-R', String(Math.max(1, Math.round(opts.rate)))] : []),
      place.url,
    ];
    const run = spawnSync(CAN_PIN ? 'taskset' : args[2]!, CAN_PIN ? args : args.slice(3), {
      encoding: 'utf8',
      cwd: dir,
    });
    if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr || run.stdout}`);
    const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? NaN);
    const latencies: number[] = [];
    for (const f of fs.readdirSync(dir).filter((n) => n.startsWith('log'))) {
      for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (Number.isFinite(us) && line) latencies.push(us / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      tps,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? NaN,
      clients: PGBENCH_CLIENTS,
      rate: opts.rate,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Before each search (PostgreSQL): empties the bare+db server's and pgbench's message table and
 * checkpoints, so the WAL and dirty pages one server's search left do not slow the next. The
 * bare+db server writes about ten times what the app does in its search; without this, the
 * checkpoint it had set going ran through the app's next search.
 */
function settleDatabase(): void {
  if (pgbenchPlace) psql(pgbenchPlace.url, 'truncate bench_messages; checkpoint', 'settle the database');
}

/** Runs maintenance SQL through psql; a failure is printed, not thrown (the measurement goes on). */
function psql(url: string, statements: string, what: string): boolean {
  const run = spawnSync('psql', [url, '-qAtc', statements], { encoding: 'utf8' });
  if (run.status !== 0) console.log(`    (could not ${what}: ${run.stderr.trim()})`);
  return run.status === 0;
}

async function preparePgbench(place: DbPlace): Promise<void> {
  const database = await place.open();
  try {
    await database.db.execute(
      sql`create table bench_threads (id int primary key, last_seq bigint not null default 0)`,
    );
    await database.db.execute(sql`create table bench_messages (
      id bigserial primary key, thread_id int not null, seq bigint not null, content text not null,
      created_at timestamptz not null default now(), unique (thread_id, seq))`);
    await database.db.execute(sql`insert into bench_threads (id) select generate_series(1, ${PAIRS})`);
  } finally {
    await database.close();
  }
}

// ---- memory -------------------------------------------------------------------------------------

interface MemoryResult {
  server: ServerKind;
  sockets: number;
  distinctUsers: number;
  before: NodeMemory;
  after: NodeMemory;
  heapPerSocket: number;
  rssPerSocket: number;
  connectSeconds: number;
}

async function memoryPart(kind: ServerKind, place: DbPlace, people: Person[]): Promise<MemoryResult> {
  const target = kind === 'bare' ? await startBare(['--expose-gc']) : await startApp(place, ['--expose-gc']);
  pin(target.pid, SERVER_CORE);
  try {
    const rec = new Recorder();
    // Each socket its own user, in their user room only: what an idle socket joins before it opens
    // a thread.
    const specs: ClientSpec[] = Array.from({ length: SOCKETS }, (_, i) => ({
      person: people[i % people.length]!,
      threadIds: [],
    }));
    // Warm the code paths a first connection loads, so the delta counts sockets and not modules.
    await closeAll(await connectAll(target, specs.slice(0, 20), rec));
    await sleep(500);
    const before = await memoryOf(target);
    if (!before.gc) console.log('    (the server has no global.gc: figures include garbage)');
    const t0 = performance.now();
    const clients = await connectAll(target, specs, rec, 100);
    const connectSeconds = (performance.now() - t0) / 1000;
    try {
      await sleep(2_000);
      const after = await memoryOf(target);
      const open = clients.filter((c) => c.connected).length;
      if (open !== SOCKETS) throw new Error(`${SOCKETS - open} of ${SOCKETS} sockets dropped while idle`);
      const result: MemoryResult = {
        server: kind,
        sockets: SOCKETS,
        distinctUsers: new Set(specs.map((s) => s.person.id)).size,
        before,
        after,
        heapPerSocket: (after.heapUsed - before.heapUsed) / SOCKETS,
        rssPerSocket: (after.rss - before.rss) / SOCKETS,
        connectSeconds,
      };
      console.log(
        `  memory ${kind.padEnd(4)} ${SOCKETS} sockets (${result.distinctUsers} users) connected in ${connectSeconds.toFixed(1)} s; ` +
          `heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB, RSS ${mb(before.rss)} → ${mb(after.rss)} MB`,
      );
      return result;
    } finally {
      await closeAll(clients);
    }
  } finally {
    await target.stop();
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

// ---- report -------------------------------------------------------------------------------------

function spreadOf(rounds: SearchResult[]): number {
  const maxima = rounds.map((r) => r.max).filter((m) => m > 0);
  return maxima.length === rounds.length ? Math.max(...maxima) / Math.min(...maxima) : Infinity;
}

function report(
  results: ScenarioResult[],
  memory: MemoryResult[],
  pgbenchMax: PgbenchResult | undefined,
  appWrite: { write: PgbenchResult; numbered: PgbenchResult } | undefined,
): object {
  console.log(
    `\n=== max: highest open-loop rate with p99 < ${P99_LIMIT_MS} ms and nothing lost (search + confirming rerun) ===`,
  );
  console.log(
    `${'scenario'.padEnd(24)} ${'server'.padEnd(7)} ${'clients'.padStart(7)} ${'fan-out'.padStart(7)} ` +
      `${'rounds: max sends/s'.padStart(22)} ${'max deliv/s'.padStart(12)} ${'spread'.padStart(7)} ` +
      `${'half: sends/s'.padStart(13)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU srv+db'.padStart(10)}`,
  );
  for (const r of results) {
    for (const s of Object.values(r.byServer)) {
      const lower = Math.min(...s.rounds.map((x) => x.max));
      const cpu = s.half
        ? `${fmt(s.half.serverCpu)}${s.half.dbCpu === undefined ? '' : `+${fmt(s.half.dbCpu)}`}%`
        : '-';
      console.log(
        `${r.label.padEnd(24)} ${s.server.padEnd(7)} ${String(s.clients).padStart(7)} ${String(s.fanout).padStart(7)} ` +
          `${s.rounds
            .map((x) => fmt(x.max))
            .join(' / ')
            .padStart(22)} ${fmt(lower * s.fanout).padStart(12)} ` +
          `${(spreadOf(s.rounds) === Infinity ? '-' : `${spreadOf(s.rounds).toFixed(2)}×`).padStart(7)} ` +
          `${fmt(s.half?.rate).padStart(13)} ${fmt(s.half?.p50, 1).padStart(7)} ${fmt(s.half?.p99, 1).padStart(7)} ${cpu.padStart(10)}`,
      );
    }
  }
  console.log(
    `(the app node and the bare server pinned to core ${SERVER_CORE}, the clients and pgbench to core ${GEN_CORE}` +
      `${CAN_PIN ? '' : ' — NOT pinned: taskset or a second core is missing'}; PostgreSQL and Redis unpinned; ` +
      `max deliveries/s = the lower round's max × fan-out; half = ${HALF_MS} ms open loop at half the lower max)`,
  );
  if (pgbenchMax) {
    console.log(
      `pgbench, bare shape (thread counter bump + insert), ${pgbenchMax.clients} clients flat out: ` +
        `${fmt(pgbenchMax.tps)} TPS, p99 ${fmt(pgbenchMax.p99, 1)} ms`,
    );
    if (appWrite) {
      const of = (r: PgbenchResult) => `${(r.tps / pgbenchMax.tps).toFixed(3)}× the bare shape`;
      console.log(
        `pgbench, the app's own send write (cm_send_messages, one message), ${appWrite.write.clients} clients flat out: ` +
          `${fmt(appWrite.write.tps)} TPS, p99 ${fmt(appWrite.write.p99, 1)} ms = ${of(appWrite.write)}; ` +
          `with the feed numbering (cm_number_feed) after each: ${fmt(appWrite.numbered.tps)} TPS = ${of(appWrite.numbered)}` +
          ` (the database's own ceiling for "1:1 app ÷ pgbench", before any app code)`,
      );
    }
  }

  console.log('\n=== targets ===');
  const targets: Record<string, { value: number | null; target: string; pass: boolean }> = {};
  const line = (key: string, text: string, value: number | null, target: string, pass: boolean) => {
    targets[key] = { value, target, pass };
    console.log(`${text}  (target ${target}) ${verdict(pass)}`);
  };
  for (const r of results) {
    const app = r.byServer.app;
    const bare = r.byServer.bare;
    if (!app || !bare) continue;
    const appMax = Math.min(...app.rounds.map((x) => x.max));
    const bareMax = Math.min(...bare.rounds.map((x) => x.max));
    const bareDb = r.byServer['bare-db'];
    const bareDbMax = bareDb ? Math.min(...bareDb.rounds.map((x) => x.max)) : undefined;
    // The bare+db server is the reference a target can be read against: the same harness, a
    // server doing nothing but the bare shape's commit before each delivery.
    if (bareDbMax !== undefined) {
      const ofBare = bareMax > 0 ? bareDbMax / bareMax : NaN;
      const appOf = bareDbMax > 0 ? appMax / bareDbMax : NaN;
      console.log(
        `${r.label}: bare+db/bare max ${fmt(bareDbMax)} / ${fmt(bareMax)} sends/s = ${ofBare.toFixed(3)}×; ` +
          `app/bare+db ${fmt(appMax)} / ${fmt(bareDbMax)} = ${appOf.toFixed(3)}× (reference, no target)`,
      );
      if (pgbenchMax && r.scenario === 'direct')
        console.log(
          `${r.label}: bare+db max ÷ pgbench TPS ${fmt(bareDbMax)} / ${fmt(pgbenchMax.tps)} = ` +
            `${(bareDbMax / pgbenchMax.tps).toFixed(3)}× (reference for the app's ≥ 0.5× target)`,
        );
    }
    if (r.scenario === 'class') {
      const ratio = bareMax > 0 ? (appMax * app.fanout) / (bareMax * bare.fanout) : NaN;
      line(
        'classAppOverBare',
        `${r.label}: app/bare max deliveries/s ${fmt(appMax * app.fanout)} / ${fmt(bareMax * bare.fanout)} = ${ratio.toFixed(3)}×`,
        ratio,
        '≥ 0.5×',
        ratio >= 0.5,
      );
    } else {
      const ratio = bareMax > 0 ? appMax / bareMax : NaN;
      console.log(
        `${r.label}: app/bare max sends/s ${fmt(appMax)} / ${fmt(bareMax)} = ${ratio.toFixed(3)}× (no target)`,
      );
      if (pgbenchMax) {
        const vsPg = appMax / pgbenchMax.tps;
        line(
          'directAppOverPgbench',
          `${r.label}: app max sends/s ÷ pgbench TPS of the bare shape (${pgbenchMax.clients} clients) ${fmt(appMax)} / ${fmt(pgbenchMax.tps)} = ${vsPg.toFixed(3)}×`,
          vsPg,
          '≥ 0.5×',
          vsPg >= 0.5,
        );
      }
    }
    if (app.half) {
      const pg = r.pgbenchAtAppHalf;
      const within = pg ? app.half.p99 <= 3 * pg.p99 : true;
      line(
        `${r.scenario}HalfP99`,
        `${r.label}: app p99 at half its max (${fmt(app.half.rate)} sends/s) ${fmt(app.half.p99, 1)} ms` +
          (pg
            ? `; pgbench p99 at that rate ${fmt(pg.p99, 1)} ms, ×3 = ${fmt(3 * pg.p99, 1)} ms`
            : '; no pgbench (PGlite)'),
        app.half.p99,
        pg ? '≤ 50 ms and ≤ 3× pgbench' : '≤ 50 ms',
        app.half.p99 <= 50 && within,
      );
    }
    for (const s of [bare, ...(bareDb ? [bareDb] : []), app]) {
      const spread = spreadOf(s.rounds);
      line(
        `${r.scenario}${s.server}Spread`,
        `${r.label} ${s.server}: the two rounds' maxima ${s.rounds.map((x) => fmt(x.max)).join(' and ')}, ${spread === Infinity ? 'one round found none' : `${((spread - 1) * 100).toFixed(0)}% apart`}`,
        spread === Infinity ? null : spread,
        'within 15%',
        spread <= 1.15,
      );
    }
  }

  const mBare = memory.find((m) => m.server === 'bare');
  const mApp = memory.find((m) => m.server === 'app');
  if (memory.length) {
    console.log(`\n=== memory per idle socket (${SOCKETS} sockets, each its own user, after GC) ===`);
    console.log(
      `${'server'.padEnd(6)} ${'users'.padStart(6)} ${'heap before MB'.padStart(14)} ${'heap after MB'.padStart(13)} ${'heap/socket KB'.padStart(14)} ` +
        `${'RSS before MB'.padStart(13)} ${'RSS after MB'.padStart(12)} ${'RSS/socket KB'.padStart(13)}`,
    );
    for (const m of memory) {
      console.log(
        `${m.server.padEnd(6)} ${String(m.distinctUsers).padStart(6)} ${mb(m.before.heapUsed).padStart(14)} ${mb(m.after.heapUsed).padStart(13)} ` +
          `${kb(m.heapPerSocket).padStart(14)} ${mb(m.before.rss).padStart(13)} ${mb(m.after.rss).padStart(12)} ` +
          `${kb(m.rssPerSocket).padStart(13)}`,
      );
    }
    if (mBare && mApp) {
      const heap = mApp.heapPerSocket / mBare.heapPerSocket;
      line('memoryHeap', `app/bare heap per idle socket: ${heap.toFixed(2)}×`, heap, '≤ 1.5×', heap <= 1.5);
      const rss = mApp.rssPerSocket / mBare.rssPerSocket;
      console.log(`app/bare RSS per idle socket: ${rss.toFixed(2)}× (no target)`);
    }
  }
  return {
    scenarios: results,
    pgbench: pgbenchMax,
    pgbenchAppWrite: appWrite,
    memory: memory.map((m) => ({
      server: m.server,
      sockets: m.sockets,
      distinctUsers: m.distinctUsers,
      heapPerSocketBytes: Math.round(m.heapPerSocket),
      rssPerSocketBytes: Math.round(m.rssPerSocket),
      connectSeconds: m.connectSeconds,
    })),
    targets,
  };
}

// ---- pinning ------------------------------------------------------------------------------------

const SERVER_CORE = 0;
const GEN_CORE = 1;
const CAN_PIN =
  process.env.BENCH_PIN !== '0' && os.cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;

/** Pins every thread of a process (and the threads it starts later) to one core. */
function pin(pid: number | undefined, core: number): void {
  if (!CAN_PIN || !pid) return;
  const r = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`taskset failed for pid ${pid}: ${r.stderr}`);
}

// ---- main ---------------------------------------------------------------------------------------

const started = performance.now();
const machine: Record<string, unknown> = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  db: POSTGRES_URL ? 'postgres' : 'pglite',
  redis: !!REDIS_URL,
  pinned: CAN_PIN,
  loadAverage: Number(os.loadavg()[0]?.toFixed(2)),
};
console.log(
  `bench:realtime on ${machine.cpus} CPUs (${machine.cpuModel}), node ${machine.node}; app database: ` +
    `${POSTGRES_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (no DATABASE_URL)'}; ` +
    `app adapter: ${REDIS_URL ? 'Redis (REDIS_URL)' : 'in-memory (no REDIS_URL)'}; bare server: in-memory adapter`,
);
console.log(
  `  parts ${[...PARTS].join(', ')}; probes of ${PROBE_WARMUP_MS} ms warm-up + ${PROBE_MS} ms measured; ` +
    `${ROUNDS} interleaved rounds; load average ${machine.loadAverage}. The app's send rate limit is disabled (the test node uses \`unlimited\`).`,
);

const results: ScenarioResult[] = [];
const memory: MemoryResult[] = [];
try {
  const place = await prepareDatabase();
  console.log(`  database: ${place.where}`);
  const { scenarios, people } = await seed(place);
  if (place.kind === 'postgres' && POSTGRES_URL && spawnSync('pgbench', ['--version']).status === 0) {
    await preparePgbench(place);
    pgbenchPlace = { url: place.nodeEnv.DATABASE_URL! };
  }
  pin(process.pid, GEN_CORE);
  if (scenarios.length) {
    console.log('');
    const bare = await startBare();
    const bareDb = pgbenchPlace && WITH_BARE_DB ? await startBare([], pgbenchPlace.url) : undefined;
    const app = await startApp(place);
    for (const target of [bare, bareDb, app]) pin(target?.pid, SERVER_CORE);
    try {
      for (const [i, scenario] of scenarios.entries()) {
        const targets = FIXED_RATES.length ? [app] : [bare, ...(bareDb ? [bareDb] : []), app];
        if (i > 0 && VACUUM_BETWEEN && place.nodeEnv.DATABASE_URL) {
          if (psql(place.nodeEnv.DATABASE_URL, 'vacuum', 'VACUUM'))
            console.log('  (VACUUM before this scenario)');
        }
        const result = await runScenario(scenario, targets);
        if (result) results.push(result);
      }
    } finally {
      await app.stop();
      await bareDb?.stop();
      await bare.stop();
    }
  }
  // Diagnosis (BENCH_RATES) prints its probes only.
  if (!FIXED_RATES.length) {
    const pgbenchMax = pgbenchPlace && results.length ? await pgbench(pgbenchPlace) : undefined;
    if (PARTS.has('memory')) {
      console.log('');
      for (const kind of ['bare', 'app'] as const) memory.push(await memoryPart(kind, place, people));
    }
    const appWrite = pgbenchMax ? await pgbenchAppWrite(place) : undefined;
    const summary = report(results, memory, pgbenchMax, appWrite);
    const totalSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
    console.log(`\n${JSON.stringify({ bench: 'realtime', machine, ...summary, totalSeconds })}`);
    console.log(`\ntotal ${totalSeconds.toFixed(0)} s`);
  }
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await runCleanups();
}
