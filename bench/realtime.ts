// Realtime delivery against a bare Socket.IO server: `npm run bench:realtime`.
//
// In one run, on this machine, with the same clients, it measures
//   bare  a bare Socket.IO server of the app's version (bench/bare-server.ts: no database, no auth,
//         the in-memory adapter) that acknowledges a send and broadcasts it to the thread's room;
//   app   the app's send → persist → deliver path: createRealtime (src/realtime/io.ts) in the test
//         node process (tests/support/realtime-node.ts), real better-auth session cookies in the
//         handshake, every send a sendMessage transaction on the real database, delivered through
//         the change feed's dispatcher; the Redis adapter when REDIS_URL is set.
// Both servers run in child processes, so the ~300 clients here do not share their CPU. The clients
// are plain socket.io-client sockets over websocket, the same code for both servers.
//
// Scenarios (each ~300 connected clients, one socket per user, every socket a sender):
//   direct  1:1 threads: BENCH_PAIRS DIRECT instructor–student pairs (150 → 300 clients, fan-out 2)
//   class   class threads: BENCH_CLASSES threads of BENCH_CLASS_SIZE students + their instructor
//           (10 × 31 → 310 clients, fan-out 31)
//   memory  heap and RSS per idle socket: BENCH_SOCKETS sockets (2,000; for the app, the seeded
//           users' cookies round-robin) on a fresh server process started with --expose-gc,
//           measured after a few full GCs before connecting and after they have all been idle 2 s
// For each of direct and class, on each server:
//   max   closed loop: every sender keeps one send in flight (the next goes out on the ack), a
//         warm-up, then BENCH_DURATION_MS measured; deliveries/s = new-message events received by
//         all clients per second in that window
//   half  open loop at 50% of that server's max send rate, sends spread round-robin over the
//         senders on a fixed schedule; latency = receipt of each new-message − the send's scheduled
//         time (same process, same clock; scheduled, not actual, so a stalled sender counts), p50
//         and p99 over every delivery of the sends scheduled in the measured window
// After each phase the bench waits for every acknowledged send's deliveries; any missing are
// printed as "lost". The app's per-user send limit (30/min) is off in the test node (`unlimited`);
// its per-socket event bucket (20/s, burst 40) stays on and is far above these per-socket rates.
// CPU is read from /proc for the server process, every local postgres process and this one (100% =
// one core): on 2 cores the clients here run out of CPU before the bare server does, which the
// report points out (the bare maximum is then a floor, app/bare a ceiling). Each user signs in once
// (scrypt, ~30 s for the 610 users); a full run takes about 2.5 minutes on this 2-core machine.
//
//   DATABASE_URL=postgres://…   the app on PostgreSQL: a scratch database cm_bench_rt_<random> made
//                               through that (admin) URL and dropped afterwards, also on error/Ctrl-C.
//                               Without it: PGlite in a temp folder (removed afterwards).
//   REDIS_URL=redis://…         the app node uses the Redis adapter (the bare server never does).
//   BENCH_SCENARIOS=direct,class,memory   which parts to run (default all three).
//   BENCH_DURATION_MS=8000      measured window of each phase; BENCH_WARMUP_MS=2000 before it.
//   BENCH_SOCKETS=2000          idle sockets of the memory part.
//   BENCH_PAIRS=150, BENCH_CLASSES=10, BENCH_CLASS_SIZE=30   the scenarios' sizes.
//   BENCH_HISTORY=10            messages per participant already in each thread before the run
//                               (inserted in SQL, all read; 0 for none), then ANALYZE.
//   BENCH_SENDERS=n             cap the senders of the closed loop (default: every client).
//   BENCH_KEEP=1                keep the scratch database / folder (printed).
//   NODE_LOG_LEVEL=info         the app node's log level (default warn); its log lines go to stderr.
//   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"   extra node flags for the app node.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import {
  NAMESPACE,
  SOCKET_PATH,
  type Ack,
  type ClientToServerEvents,
  type SendResult,
  type ServerToClientEvents,
} from '@/realtime/contract';
import { createClass, createDirectPair, createThread, createUser, enrollStudent } from '../tests/factories';
import { installTestServices } from '../tests/support/api';
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

const DURATION_MS = num('BENCH_DURATION_MS', 8_000);
const WARMUP_MS = num('BENCH_WARMUP_MS', 2_000);
const SOCKETS = Math.round(num('BENCH_SOCKETS', 2_000));
const PAIRS = Math.round(num('BENCH_PAIRS', 150));
const CLASSES = Math.round(num('BENCH_CLASSES', 10));
const CLASS_SIZE = Math.round(num('BENCH_CLASS_SIZE', 30));
const HISTORY = Math.round(Number(process.env.BENCH_HISTORY ?? 10));
const SENDERS = process.env.BENCH_SENDERS ? Math.round(num('BENCH_SENDERS', 1)) : undefined;
const PARTS = new Set(
  (process.env.BENCH_SCENARIOS ?? 'direct,class,memory')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const KEEP = process.env.BENCH_KEEP === '1';
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const POSTGRES_URL = process.env.DATABASE_URL?.trim() || undefined;
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

process.once('SIGINT', () => {
  console.error('\ninterrupted: stopping the servers and removing the scratch database');
  void runCleanups().finally(() => process.exit(130));
});

// ---- servers ------------------------------------------------------------------------------------

type ServerKind = 'bare' | 'app';

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

async function startBare(nodeArgs: string[] = []): Promise<Target> {
  const { child, port, exited } = await spawnListening(BARE_MAIN, { nodeArgs, label: 'bare server' });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return tracked({ kind: 'bare', url: `http://127.0.0.1:${port}`, pid: child.pid }, stop);
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
  return tracked({ kind: 'app', url: node.url, pid: node.child.pid }, () => node.stop());
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
    if (PARTS.has('direct') || PARTS.has('memory')) {
      const pairs = await mapLimit(Array.from({ length: PAIRS }), 8, () => createDirectPair(db));
      for (const { instructor, student, thread } of pairs) {
        direct.push({ id: thread.id, members: [instructor, student] });
        users.push(instructor, student);
      }
    }
    if (PARTS.has('class') || PARTS.has('memory')) {
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
    const cookies = new Map<string, string>();
    await mapLimit(users, 8, async (u) => void cookies.set(u.id, await api.cookieFor(u)));
    const signedIn = performance.now() - t0;
    console.log(
      `  seeded ${users.length} users, ${direct.length} DIRECT and ${classThreads.length} CLASS threads ` +
        `in ${(seeded / 1000).toFixed(1)} s; ${users.length} sign-ins in ${(signedIn / 1000).toFixed(1)} s`,
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

/** What every client hears: deliveries, with the send times needed for latency. */
class Recorder {
  /** clientMessageId → scheduled send time, for the sends whose latency is measured. */
  readonly sentAt = new Map<string, number>();
  latencies: number[] | null = null;
  received = 0;
  threadUpdates = 0;
  disconnects = 0;
  windowStart = Infinity;
  windowEnd = -Infinity;
  inWindow = 0;

  delivery(clientMessageId: string | null): void {
    const now = performance.now();
    this.received++;
    if (now >= this.windowStart && now < this.windowEnd) this.inWindow++;
    if (this.latencies && clientMessageId) {
      const sent = this.sentAt.get(clientMessageId);
      if (sent !== undefined) this.latencies.push(now - sent);
    }
  }

  window(start: number, end: number): void {
    this.windowStart = start;
    this.windowEnd = end;
    this.inWindow = 0;
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

interface SendCounts {
  acked: number;
  errors: Record<string, number>;
  inflight: number;
  /** Deliveries owed by the acknowledged sends. */
  expected: number;
}

function emitSend(
  sender: Sender,
  counts: SendCounts,
  onDone?: (ok: boolean) => void,
  id?: (cmid: string) => void,
) {
  const payload = nextMessage(sender.threadId);
  id?.(payload.clientMessageId);
  counts.inflight++;
  const done = (res: Ack<SendResult> | undefined) => {
    counts.inflight--;
    let ok = false;
    if (!res) counts.errors.TIMEOUT = (counts.errors.TIMEOUT ?? 0) + 1;
    else if ('error' in res) counts.errors[res.error.code] = (counts.errors[res.error.code] ?? 0) + 1;
    else {
      ok = true;
      counts.acked++;
      counts.expected += sender.fanout;
    }
    onDone?.(ok);
  };
  sender.client
    .timeout(30_000)
    .emitWithAck('send-message', payload)
    .then(done, () => done(undefined));
}

interface MaxResult {
  senders: number;
  deliveriesPerSec: number;
  sendsPerSec: number;
  serverCpu: number | undefined;
  /** Every local postgres process (PostgreSQL mode only; PGlite runs inside the app node). */
  dbCpu: number | undefined;
  clientCpu: number;
  threadUpdatesPerSec: number;
  /** The machine's 1-minute load average at the end of the window (other processes skew figures). */
  loadAverage: number;
  errors: Record<string, number>;
  lost: number;
}

interface HalfResult {
  offeredSendsPerSec: number;
  offeredDeliveriesPerSec: number;
  achievedDeliveriesPerSec: number;
  p50: number;
  p99: number;
  max: number;
  samples: number;
  serverCpu: number | undefined;
  dbCpu: number | undefined;
  clientCpu: number;
  loadAverage: number;
  errors: Record<string, number>;
  lost: number;
}

/** Waits for in-flight sends and for the deliveries they owe; returns how many never came. */
async function drain(rec: Recorder, counts: SendCounts, receivedBefore: number): Promise<number> {
  await until(() => counts.inflight === 0, DRAIN_TIMEOUT_MS);
  await until(() => rec.received - receivedBefore >= counts.expected, DRAIN_TIMEOUT_MS);
  await sleep(200);
  return Math.max(0, counts.expected - (rec.received - receivedBefore));
}

/** Closed loop: each sender keeps one send in flight. */
async function maxThroughput(target: Target, rec: Recorder, senders: Sender[]): Promise<MaxResult> {
  const counts: SendCounts = { acked: 0, errors: {}, inflight: 0, expected: 0 };
  const receivedBefore = rec.received;
  let running = true;
  let ackedInWindow = 0;
  const loop = (s: Sender) => {
    if (!running) return;
    emitSend(s, counts, (ok) => {
      const now = performance.now();
      if (ok && now >= rec.windowStart && now < rec.windowEnd) ackedInWindow++;
      // A refusal (the per-socket bucket, say) backs off a little rather than spin.
      if (ok) loop(s);
      else setTimeout(() => loop(s), 100);
    });
  };
  senders.forEach(loop);
  await sleep(WARMUP_MS);
  const start = performance.now();
  rec.window(start, start + DURATION_MS);
  const updates0 = rec.threadUpdates;
  const srv0 = processCpuMs(target.pid);
  const db0 = postgresCpuMs();
  const cli0 = selfCpuMs();
  await sleep(DURATION_MS);
  const srv1 = processCpuMs(target.pid);
  const db1 = postgresCpuMs();
  const cli1 = selfCpuMs();
  const updates = rec.threadUpdates - updates0;
  running = false;
  const elapsed = (performance.now() - start) / 1000;
  const seconds = DURATION_MS / 1000;
  const lost = await drain(rec, counts, receivedBefore);
  return {
    senders: senders.length,
    deliveriesPerSec: rec.inWindow / seconds,
    sendsPerSec: ackedInWindow / seconds,
    serverCpu: cpuPercent(srv0, srv1, elapsed),
    dbCpu: postgresCpuPercent(db0, db1, elapsed),
    clientCpu: (cli1 - cli0) / 10 / elapsed,
    threadUpdatesPerSec: updates / elapsed,
    loadAverage: load1(),
    errors: counts.errors,
    lost,
  };
}

/** Open loop at a fixed send rate; latency of every delivery of the sends scheduled in the window. */
async function latencyAt(
  target: Target,
  rec: Recorder,
  senders: Sender[],
  sendsPerSec: number,
): Promise<HalfResult> {
  const counts: SendCounts = { acked: 0, errors: {}, inflight: 0, expected: 0 };
  const receivedBefore = rec.received;
  rec.sentAt.clear();
  rec.latencies = [];
  const interval = 1000 / sendsPerSec;
  const begin = performance.now() + 10;
  const windowStart = begin + WARMUP_MS;
  const windowEnd = windowStart + DURATION_MS;
  rec.window(windowStart, windowEnd);
  let owed = 0;
  let srv0: number | undefined;
  let db0: Map<number, number> | undefined;
  let cli0 = 0;
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (srv0 === undefined && now >= windowStart) {
        srv0 = processCpuMs(target.pid);
        db0 = postgresCpuMs();
        cli0 = selfCpuMs();
      }
      for (;;) {
        const scheduled = begin + i * interval;
        if (scheduled > now) return;
        if (scheduled >= windowEnd) {
          clearInterval(timer);
          resolve();
          return;
        }
        const sender = senders[i % senders.length]!;
        const measured = scheduled >= windowStart;
        emitSend(
          sender,
          counts,
          // A refused send owes nothing; it is counted under its error code.
          (ok) => {
            if (measured && !ok) owed -= sender.fanout;
          },
          (id) => {
            if (measured) rec.sentAt.set(id, scheduled);
          },
        );
        if (measured) owed += sender.fanout;
        i++;
      }
    };
    const timer = setInterval(tick, 1);
  });
  const srv1 = processCpuMs(target.pid);
  const db1 = postgresCpuMs();
  const cli1 = selfCpuMs();
  const elapsed = (performance.now() - windowStart) / 1000;
  const lost = await drain(rec, counts, receivedBefore);
  const latencies = rec.latencies.sort((a, b) => a - b);
  rec.latencies = null;
  rec.sentAt.clear();
  const fanout = senders.reduce((a, s) => a + s.fanout, 0) / senders.length;
  return {
    offeredSendsPerSec: sendsPerSec,
    offeredDeliveriesPerSec: sendsPerSec * fanout,
    achievedDeliveriesPerSec: rec.inWindow / (DURATION_MS / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    samples: latencies.length,
    serverCpu: cpuPercent(srv0, srv1, elapsed),
    dbCpu: postgresCpuPercent(db0, db1, elapsed),
    clientCpu: (cli1 - cli0) / 10 / elapsed,
    loadAverage: load1(),
    errors: counts.errors,
    lost: Math.max(lost, owed - latencies.length),
  };
}

interface ScenarioResult {
  scenario: Scenario['key'];
  label: string;
  server: ServerKind;
  clients: number;
  fanout: number;
  max: MaxResult;
  half: HalfResult;
  disconnects: number;
}

async function runScenario(scenario: Scenario, target: Target): Promise<ScenarioResult> {
  const rec = new Recorder();
  const specs: ClientSpec[] = scenario.threads.flatMap((t) =>
    t.members.map((person) => ({ person, threadIds: [t.id] })),
  );
  const fanout = Math.round(specs.length / scenario.threads.length);
  const t0 = performance.now();
  const clients = await connectAll(target, specs, rec);
  const byPerson = new Map(specs.map((s, i) => [s.person.id, clients[i]!]));
  console.log(
    `  ${scenario.label.padEnd(22)} ${target.kind.padEnd(4)} ${clients.length} clients ready in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  try {
    const all = sendersOf(scenario, byPerson);
    const senders = SENDERS ? all.slice(0, SENDERS) : all;
    const max = await maxThroughput(target, rec, senders);
    console.log(
      `    max: ${fmt(max.deliveriesPerSec)} deliveries/s (${fmt(max.sendsPerSec)} sends/s, ` +
        `${senders.length} senders × 1 in flight), server CPU ${fmt(max.serverCpu)}%${dbNote(max.dbCpu)}, bench CPU ${fmt(max.clientCpu)}%, ` +
        `load ${max.loadAverage}` +
        errorsNote(max.errors, max.lost),
    );
    const half = await latencyAt(target, rec, senders, Math.max(1, max.sendsPerSec / 2));
    console.log(
      `    half: offered ${fmt(half.offeredSendsPerSec)} sends/s = ${fmt(half.offeredDeliveriesPerSec)} deliveries/s, ` +
        `achieved ${fmt(half.achievedDeliveriesPerSec)} deliveries/s; p50 ${fmt(half.p50, 1)} ms, ` +
        `p99 ${fmt(half.p99, 1)} ms, max ${fmt(half.max, 1)} ms over ${fmt(half.samples)} deliveries; ` +
        `server CPU ${fmt(half.serverCpu)}%${dbNote(half.dbCpu)}, bench CPU ${fmt(half.clientCpu)}%, ` +
        `load ${half.loadAverage}` +
        errorsNote(half.errors, half.lost),
    );
    return {
      scenario: scenario.key,
      label: scenario.label,
      server: target.kind,
      clients: clients.length,
      fanout,
      max,
      half,
      disconnects: rec.disconnects,
    };
  } finally {
    await closeAll(clients);
  }
}

function dbNote(cpu: number | undefined): string {
  return cpu === undefined ? '' : ` + postgres ${fmt(cpu)}%`;
}

function errorsNote(errors: Record<string, number>, lost: number): string {
  const parts = Object.entries(errors).map(([k, v]) => `${k} ${v}`);
  if (lost) parts.push(`lost deliveries ${lost}`);
  return parts.length ? `; ${parts.join(', ')}` : '';
}

// ---- memory -------------------------------------------------------------------------------------

interface MemoryResult {
  server: ServerKind;
  sockets: number;
  before: NodeMemory;
  after: NodeMemory;
  heapPerSocket: number;
  rssPerSocket: number;
  connectSeconds: number;
}

async function memoryPart(kind: ServerKind, place: DbPlace, people: Person[]): Promise<MemoryResult> {
  const target = kind === 'bare' ? await startBare(['--expose-gc']) : await startApp(place, ['--expose-gc']);
  try {
    const rec = new Recorder();
    // The user's room only: what an idle app socket joins before it opens a thread.
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
        before,
        after,
        heapPerSocket: (after.heapUsed - before.heapUsed) / SOCKETS,
        rssPerSocket: (after.rss - before.rss) / SOCKETS,
        connectSeconds,
      };
      console.log(
        `  memory ${kind.padEnd(4)} ${SOCKETS} sockets connected in ${connectSeconds.toFixed(1)} s; ` +
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

function report(
  machine: Record<string, unknown>,
  results: ScenarioResult[],
  memory: MemoryResult[],
  totalSeconds: number,
): void {
  console.log('\n=== throughput and latency ===');
  const head =
    `${'scenario'.padEnd(22)} ${'server'.padEnd(6)} ${'clients'.padStart(7)} ${'fan-out'.padStart(7)} ` +
    `${'max deliv/s'.padStart(12)} ${'max sends/s'.padStart(11)} ${'CPU srv+db/bench'.padStart(16)} ` +
    `${'half: offered/s'.padStart(15)} ${'achieved/s'.padStart(10)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'lost'.padStart(5)}`;
  console.log(head);
  for (const r of results) {
    console.log(
      `${r.label.padEnd(22)} ${r.server.padEnd(6)} ${String(r.clients).padStart(7)} ${String(r.fanout).padStart(7)} ` +
        `${fmt(r.max.deliveriesPerSec).padStart(12)} ${fmt(r.max.sendsPerSec).padStart(11)} ` +
        `${cpuCell(r.max).padStart(16)} ` +
        `${fmt(r.half.offeredDeliveriesPerSec).padStart(15)} ${fmt(r.half.achievedDeliveriesPerSec).padStart(10)} ` +
        `${fmt(r.half.p50, 1).padStart(7)} ${fmt(r.half.p99, 1).padStart(7)} ${String(r.max.lost + r.half.lost).padStart(5)}`,
    );
  }
  console.log(
    `(deliveries = new-message events received by all clients; half = open loop at 50% of that server's max ` +
      `send rate, latency per delivery; CPU during the max window: server process + local postgres / this ` +
      `process's clients, 100% = one core; the app's per-user send limit is disabled in the test node)`,
  );
  for (const r of results) {
    if (r.server === 'bare' && r.max.clientCpu >= 90) {
      console.log(
        `note: ${r.label} bare: the clients here used ${fmt(r.max.clientCpu)}% CPU, so they, not the bare ` +
          `server, set its maximum; the bare server can do more and app/bare is an upper bound.`,
      );
    }
  }

  const pick = (key: Scenario['key'], server: ServerKind) =>
    results.find((r) => r.scenario === key && r.server === server);
  if (results.length) console.log('\n=== ratios and targets ===');
  for (const key of ['direct', 'class'] as const) {
    const bare = pick(key, 'bare');
    const app = pick(key, 'app');
    if (!bare || !app) continue;
    const ratio = app.max.deliveriesPerSec / bare.max.deliveriesPerSec;
    const target = key === 'class' ? `  (target ≥ 0.5×) ${verdict(ratio >= 0.5)}` : '  (no target)';
    console.log(
      `${app.label}: app/bare deliveries/s ${fmt(app.max.deliveriesPerSec)} / ${fmt(bare.max.deliveriesPerSec)} = ` +
        `${ratio.toFixed(2)}×${target}`,
    );
    console.log(
      `${app.label}: app p99 at half its max rate ${fmt(app.half.p99, 1)} ms (bare ${fmt(bare.half.p99, 1)} ms)` +
        `  (target ≤ 50 ms) ${verdict(app.half.p99 <= 50)}`,
    );
  }

  const mBare = memory.find((m) => m.server === 'bare');
  const mApp = memory.find((m) => m.server === 'app');
  if (memory.length) {
    console.log(`\n=== memory per idle socket (${SOCKETS} sockets, after GC) ===`);
    console.log(
      `${'server'.padEnd(6)} ${'heap before MB'.padStart(14)} ${'heap after MB'.padStart(13)} ${'heap/socket KB'.padStart(14)} ` +
        `${'RSS before MB'.padStart(13)} ${'RSS after MB'.padStart(12)} ${'RSS/socket KB'.padStart(13)}`,
    );
    for (const m of memory) {
      console.log(
        `${m.server.padEnd(6)} ${mb(m.before.heapUsed).padStart(14)} ${mb(m.after.heapUsed).padStart(13)} ` +
          `${kb(m.heapPerSocket).padStart(14)} ${mb(m.before.rss).padStart(13)} ${mb(m.after.rss).padStart(12)} ` +
          `${kb(m.rssPerSocket).padStart(13)}`,
      );
    }
    if (mBare && mApp) {
      const heap = mApp.heapPerSocket / mBare.heapPerSocket;
      const rss = mApp.rssPerSocket / mBare.rssPerSocket;
      console.log(`app/bare heap per socket: ${heap.toFixed(2)}×  (target ≤ 1.5×) ${verdict(heap <= 1.5)}`);
      console.log(`app/bare RSS per socket:  ${rss.toFixed(2)}×  (target ≤ 1.5×) ${verdict(rss <= 1.5)}`);
    }
  }

  const json = {
    bench: 'realtime',
    machine,
    config: {
      durationMs: DURATION_MS,
      warmupMs: WARMUP_MS,
      sockets: SOCKETS,
      pairs: PAIRS,
      classes: CLASSES,
      classSize: CLASS_SIZE,
      senders: SENDERS ?? 'all',
    },
    scenarios: results.map((r) => ({
      scenario: r.scenario,
      server: r.server,
      clients: r.clients,
      fanout: r.fanout,
      max: r.max,
      half: r.half,
      disconnects: r.disconnects,
    })),
    memory: memory.map((m) => ({
      server: m.server,
      sockets: m.sockets,
      heapPerSocketBytes: Math.round(m.heapPerSocket),
      rssPerSocketBytes: Math.round(m.rssPerSocket),
      before: m.before,
      after: m.after,
      connectSeconds: m.connectSeconds,
    })),
    ratios: {
      direct: ratioOf(pick('direct', 'app'), pick('direct', 'bare')),
      class: ratioOf(pick('class', 'app'), pick('class', 'bare')),
      memoryHeap: mApp && mBare ? mApp.heapPerSocket / mBare.heapPerSocket : null,
      memoryRss: mApp && mBare ? mApp.rssPerSocket / mBare.rssPerSocket : null,
    },
    totalSeconds,
  };
  console.log(`\n${JSON.stringify(json)}`);
}

function cpuCell(m: MaxResult): string {
  const server = m.serverCpu === undefined ? '-' : fmt(m.serverCpu);
  const db = m.dbCpu === undefined ? '' : `+${fmt(m.dbCpu)}`;
  return `${server}${db}/${fmt(m.clientCpu)}%`;
}

function ratioOf(app: ScenarioResult | undefined, bare: ScenarioResult | undefined) {
  return app && bare ? app.max.deliveriesPerSec / bare.max.deliveriesPerSec : null;
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
  loadAverage: Number(os.loadavg()[0]?.toFixed(2)),
};
console.log(
  `bench:realtime on ${machine.cpus} CPUs (${machine.cpuModel}), node ${machine.node}; app database: ` +
    `${POSTGRES_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (no DATABASE_URL)'}; ` +
    `app adapter: ${REDIS_URL ? 'Redis (REDIS_URL)' : 'in-memory (no REDIS_URL)'}; bare server: in-memory adapter`,
);
console.log(
  `  parts ${[...PARTS].join(', ')}; ${WARMUP_MS} ms warm-up + ${DURATION_MS} ms measured per phase; ` +
    `load average ${machine.loadAverage}. The app's send rate limit is disabled (the test node uses \`unlimited\`).`,
);

const results: ScenarioResult[] = [];
const memory: MemoryResult[] = [];
try {
  const place = await prepareDatabase();
  console.log(`  database: ${place.where}`);
  const { scenarios, people } = await seed(place);
  if (scenarios.length) {
    console.log('');
    const bare = await startBare();
    const app = await startApp(place);
    try {
      for (const scenario of scenarios) {
        for (const target of [bare, app]) results.push(await runScenario(scenario, target));
      }
    } finally {
      await app.stop();
      await bare.stop();
    }
  }
  if (PARTS.has('memory')) {
    console.log('');
    for (const kind of ['bare', 'app'] as const) memory.push(await memoryPart(kind, place, people));
  }
  report(machine, results, memory, Number(((performance.now() - started) / 1000).toFixed(1)));
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await runCleanups();
}
