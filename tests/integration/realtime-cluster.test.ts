// Realtime delivery as it runs in production: real app processes (tests/support/realtime-node.ts)
// with real socket.io-client connections, better-auth sessions and databases; nothing is mocked.
//
// With DATABASE_URL and REDIS_URL: two processes on one scratch Postgres database sharing Redis —
// fan-out from one process to the other's sockets, a loss test that SIGKILLs one of them in the
// middle of 1,000 sends, a 30-second drop resumed on the other process, and sends racing edits and
// deletes in 16 threads through both, read by a client that hops between them.
// Always: the loss test on one process over an embedded (PGlite) data folder, killed and restarted
// on it, and the 30-second drop against an in-process server (on Postgres when DATABASE_URL is set).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { messageEvents, messages, type User } from '@/db/schema';
import { deleteMessage } from '@/messaging/delete-message';
import { editMessage } from '@/messaging/edit-message';
import type { EventPublisher } from '@/messaging/events';
import { sendMessage } from '@/messaging/send-message';
import type { MessagingClient, SendResult } from '@/realtime/client';
import type { ThreadUpdatedPayload, UserTypingPayload } from '@/realtime/contract';
import { createClass, createThread, createUser, enrollStudent } from '../factories';
import { installTestServices, TEST_AUTH_SECRET } from '../support/api';
import { createScratchPostgres, createTestDatabase, EMBEDDED_RUN } from '../support/db';
import {
  audit,
  missing,
  record,
  sleep,
  within,
  type Audience,
  type Recording,
  type StoredMessage,
} from '../support/loss';
import {
  CLUSTER,
  CLUSTER_DATABASE_URL,
  CLUSTER_REDIS_URL,
  clientFor,
  spawnAppNode,
  startRealtimeServer,
  unlimited,
  type AppNode,
  type NodeEnv,
} from '../support/realtime';

const DATABASE_URL = CLUSTER_DATABASE_URL;
const REDIS_URL = CLUSTER_REDIS_URL;
const AUTH_SECRET = TEST_AUTH_SECRET;

const TOTAL = 1_000;
/** SIGKILL after this many acknowledgements (40 %). */
const KILL_AFTER = 400;
/** How long the killed process stays down before it is restarted on the same port. */
const DOWN_MS = 750;
/** Long enough for a gap fill or a counter poll (1 s) to deliver a late duplicate, if there were one. */
const SETTLE_MS = 1_500;

type CookieFor = (user: { email: string }) => Promise<string>;

// ---- the loss test ------------------------------------------------------------------------------

interface Member {
  label: string;
  user: User;
  cookie: string;
  /** The threads this member takes part in, and sends to in turn. */
  threadIds: string[];
}

interface LossWorld {
  members: Member[];
  threadIds: string[];
}

/**
 * Two classes, each with a discussion thread of its instructor and four students (two students are
 * in both), and a DIRECT thread per instructor: 8 participants, 4 threads.
 */
async function seedLossWorld(db: Db, cookieFor: CookieFor): Promise<LossWorld> {
  const i1 = await createUser(db, { role: 'INSTRUCTOR' });
  const i2 = await createUser(db, { role: 'INSTRUCTOR' });
  const s: User[] = [];
  for (let n = 0; n < 6; n++) s.push(await createUser(db));
  const [s1, s2, s3, s4, s5, s6] = s as [User, User, User, User, User, User];
  const c1 = await createClass(db, { instructors: [{ id: i1.id }] });
  const c2 = await createClass(db, { instructors: [{ id: i2.id }] });
  for (const st of [s1, s2, s3, s4]) await enrollStudent(db, { classId: c1.id, studentId: st.id });
  for (const st of [s3, s4, s5, s6]) await enrollStudent(db, { classId: c2.id, studentId: st.id });
  const t1 = await createThread(db, {
    type: 'CLASS',
    classId: c1.id,
    createdById: i1.id,
    participantIds: [s1, s2, s3, s4].map((u) => u.id),
    title: 'Loss 1',
  });
  const t2 = await createThread(db, {
    type: 'CLASS',
    classId: c2.id,
    createdById: i2.id,
    participantIds: [s3, s4, s5, s6].map((u) => u.id),
    title: 'Loss 2',
  });
  const d1 = await createThread(db, { type: 'DIRECT', createdById: i1.id, participantIds: [s1.id] });
  const d2 = await createThread(db, { type: 'DIRECT', createdById: i2.id, participantIds: [s5.id] });
  const plan: Array<[string, User, string[]]> = [
    ['I1', i1, [t1.id, d1.id]],
    ['I2', i2, [t2.id, d2.id]],
    ['S1', s1, [t1.id, d1.id]],
    ['S2', s2, [t1.id]],
    ['S3', s3, [t1.id, t2.id]],
    ['S4', s4, [t1.id, t2.id]],
    ['S5', s5, [t2.id, d2.id]],
    ['S6', s6, [t2.id]],
  ];
  const members: Member[] = [];
  for (const [label, user, threadIds] of plan) {
    members.push({ label, user, cookie: await cookieFor(user), threadIds });
  }
  return { members, threadIds: [t1.id, t2.id, d1.id, d2.id] };
}

type StopSignal = 'SIGKILL' | 'SIGTERM';

interface LossRun {
  receivers: Audience[];
  acks: SendResult[];
  keys: Set<string>;
  killedAfter: number;
  /** How the victim was stopped, and the exit code it left with (null: killed by the signal). */
  signal: StopSignal;
  victimExit: number | null;
  downMs: number;
  resumed: number;
  elapsedMs: number;
}

/**
 * Every member gets a receiving client and a sending client, spread over the nodes. The senders
 * queue TOTAL messages between them (each client's outbox sends one at a time, so 8 in flight);
 * after KILL_AFTER acknowledgements nodes[0] is stopped (SIGKILL, or SIGTERM: the graceful shutdown, which
 * lets its in-flight sends finish and refuses new ones) and restarted on its port. The clients
 * reconnect and resend by themselves. Resolves once every receiver has every acknowledged message
 * of its threads and a further SETTLE_MS has passed.
 */
async function driveLossTraffic(opts: {
  world: LossWorld;
  nodes: AppNode[];
  env: NodeEnv;
  clients: MessagingClient[];
  signal?: StopSignal;
}): Promise<LossRun> {
  const { world, nodes, env, clients } = opts;
  const signal = opts.signal ?? 'SIGKILL';
  const url = (i: number) => nodes[i % nodes.length]!.url;
  const started = Date.now();

  const receivers: Audience[] = [];
  const senders: MessagingClient[] = [];
  await Promise.all(
    world.members.map(async (m, i) => {
      const receiver = clientFor(url(i + 1), m.cookie);
      const sender = clientFor(url(i), m.cookie);
      clients.push(receiver, sender);
      receivers.push({ label: m.label, threadIds: m.threadIds, recording: record(receiver) });
      senders[i] = sender;
      await Promise.all([receiver.ready(), sender.ready()]);
    }),
  );

  const keys = new Set<string>();
  const acks: SendResult[] = [];
  let reachedKillPoint!: () => void;
  const killPoint = new Promise<void>((resolve) => (reachedKillPoint = resolve));
  const perSender = TOTAL / world.members.length;
  const sends = world.members.flatMap((m, i) =>
    Array.from({ length: perSender }, (_, n) => {
      const clientMessageId = randomUUID();
      keys.add(clientMessageId);
      return senders[i]!.send({
        threadId: m.threadIds[n % m.threadIds.length]!,
        content: `loss ${m.label} #${n}`,
        clientMessageId,
      }).then((ack) => {
        acks.push(ack);
        if (acks.length === KILL_AFTER) reachedKillPoint();
        return ack;
      });
    }),
  );
  // A refusal would reject a send; surface it at once instead of at the end.
  const allSent = Promise.all(sends);
  allSent.catch(() => undefined);

  await within(Promise.race([killPoint, allSent]), 60_000, () => `only ${acks.length} acks`);
  const victim = nodes[0]!;
  const killedAfter = acks.length;
  const victimExit = signal === 'SIGKILL' ? (await victim.kill(), null) : await victim.stop();
  const killedAt = Date.now();
  await sleep(DOWN_MS);
  nodes[0] = await spawnAppNode(env, victim.port);
  const downMs = Date.now() - killedAt;

  await within(
    allSent,
    90_000,
    () =>
      `${acks.length}/${TOTAL} sends acknowledged; outboxes: ` +
      senders.map((s) => s.outbox.length).join(','),
  );

  const acked = new Map<string, string[]>();
  for (const { message } of acks) {
    const list = acked.get(message.threadId) ?? [];
    list.push(message.id);
    acked.set(message.threadId, list);
  }
  const outstanding = () =>
    receivers.reduce(
      (sum, r) =>
        sum +
        missing(
          r.recording,
          r.threadIds.flatMap((t) => acked.get(t) ?? []),
        ),
      0,
    );
  await expect
    .poll(outstanding, { timeout: 60_000, interval: 250, message: 'receivers still missing messages' })
    .toBe(0);
  await sleep(SETTLE_MS);

  return {
    receivers,
    acks,
    keys,
    killedAfter,
    signal,
    victimExit,
    downMs,
    resumed: receivers.reduce((n, r) => n + r.recording.syncs.filter((s) => s.resumed).length, 0),
    elapsedMs: Date.now() - started,
  };
}

async function storedMessages(db: Db, threadIds: string[]) {
  const rows = await db
    .select({
      id: messages.id,
      threadId: messages.threadId,
      seq: messages.seq,
      content: messages.content,
      clientMessageId: messages.clientMessageId,
    })
    .from(messages)
    .where(inArray(messages.threadId, threadIds));
  const created = await db
    .select({ messageId: messageEvents.messageId })
    .from(messageEvents)
    .where(and(inArray(messageEvents.threadId, threadIds), eq(messageEvents.kind, 'created')));
  return { rows, createdEvents: created.map((e) => e.messageId) };
}

/** Checks the run against the database, prints the summary line and fails on any loss or repeat. */
function verifyLoss(mode: string, run: LossRun, stored: Awaited<ReturnType<typeof storedMessages>>) {
  const { rows } = stored;
  const report = audit(run.receivers, rows as StoredMessage[]);
  console.log(
    `loss test (${mode}): sent=${TOTAL} acked=${run.acks.length} delivered=${report.delivered} ` +
      `lost=${report.lost} duplicated=${report.duplicated} raw-duplicated=${report.rawDuplicated}`,
  );
  console.log(
    `loss test (${mode}): ${run.signal} after ${run.killedAfter} acks (exit ${run.victimExit}), restarted in ${run.downMs} ms, ` +
      `${run.acks.filter((a) => !a.created).length} resends answered created:false, ` +
      `${run.resumed} resumed connections, ${(run.elapsedMs / 1000).toFixed(1)} s`,
  );
  for (const line of report.details) console.log(`  ${line}`);
  // A graceful stop drains and exits 0; past its 10 s deadline it would exit 1.
  if (run.signal === 'SIGTERM') expect(run.victimExit).toBe(0);

  // The database holds exactly the test's messages, each key once, each with one created event.
  expect(rows).toHaveLength(TOTAL);
  expect(new Set(rows.map((r) => r.clientMessageId))).toEqual(run.keys);
  expect(stored.createdEvents).toHaveLength(TOTAL);
  expect(new Set(stored.createdEvents)).toEqual(new Set(rows.map((r) => r.id)));
  // Every acknowledgement is a stored message, as acknowledged.
  expect(run.acks).toHaveLength(TOTAL);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const unstored = run.acks.filter(
    ({ message }) =>
      byId.get(message.id)?.content !== message.content ||
      byId.get(message.id)?.clientMessageId !== message.clientMessageId,
  );
  expect(unstored).toEqual([]);

  expect({
    lost: report.lost,
    duplicated: report.duplicated,
    rawDuplicated: report.rawDuplicated,
    foreign: report.foreign,
    outOfOrder: report.outOfOrder,
  }).toEqual({ lost: 0, duplicated: 0, rawDuplicated: 0, foreign: 0, outOfOrder: 0 });
  expect(report.delivered).toBe(report.expected);
}

// ---- the 30-second drop -------------------------------------------------------------------------

const DROP_MS = 30_000;

/**
 * A student's client goes offline for 30 s while others send 50 messages (45 in its threads) and
 * edit and delete one; it comes back with its position — on `urls[1]`, through a new client, when
 * that is another process; else by reconnecting the same client — and gets exactly what it missed.
 * `events` is the in-process bus when the server runs here; nodes learn of the test's own edits
 * from the change feed (their counter poll).
 */
async function runShortDrop(opts: {
  db: Db;
  events?: EventPublisher;
  cookieFor: CookieFor;
  urls: [string, string];
  clients: MessagingClient[];
}) {
  const { db, cookieFor, clients } = opts;
  const [home, away] = opts.urls;
  const ctx = { db, events: opts.events };
  const teacher = await createUser(db, { role: 'INSTRUCTOR' });
  const student = await createUser(db);
  const classmate = await createUser(db);
  const other = await createUser(db);
  const cls = await createClass(db, { instructors: [{ id: teacher.id }] });
  for (const s of [student, classmate, other]) await enrollStudent(db, { classId: cls.id, studentId: s.id });
  const discussion = await createThread(db, {
    type: 'CLASS',
    classId: cls.id,
    createdById: teacher.id,
    participantIds: [student.id, classmate.id, other.id],
    title: 'While you were away',
  });
  const direct = await createThread(db, {
    type: 'DIRECT',
    createdById: teacher.id,
    participantIds: [student.id],
  });
  const elsewhere = await createThread(db, {
    type: 'DIRECT',
    createdById: teacher.id,
    participantIds: [other.id],
  });

  const connect = async (url: string, user: User, position?: number) => {
    const c = clientFor(url, await cookieFor(user), { position });
    clients.push(c);
    return c;
  };
  const client = await connect(home, student);
  const before = record(client);
  const teacherClient = await connect(away, teacher);
  const teacherSees = record(teacherClient);
  const classmateClient = await connect(home, classmate);
  await Promise.all([client.ready(), teacherClient.ready(), classmateClient.ready()]);
  await client.joinThread(discussion.id);

  const early = await teacherClient.send({ threadId: direct.id, content: 'before the drop' });
  await expect.poll(() => before.messages.map((e) => e.message.id)).toEqual([early.message.id]);

  client.socket.disconnect();
  const droppedAt = Date.now();
  const from = client.position!;
  expect(from).toBeGreaterThanOrEqual(before.messages[0]!.position);

  // 50 sends from two people, queued at once: each outbox sends its own in order.
  const teacherSends: Promise<SendResult>[] = [];
  for (let i = 0; i < 35; i++) {
    const threadId = i % 7 === 6 ? elsewhere.id : i % 2 === 0 ? direct.id : discussion.id;
    teacherSends.push(teacherClient.send({ threadId, content: `teacher ${i}` }));
  }
  const classmateSends = Array.from({ length: 15 }, (_, i) =>
    classmateClient.send({ threadId: discussion.id, content: `classmate ${i}` }),
  );
  const sent = await within(Promise.all([...teacherSends, ...classmateSends]), 60_000, () => 'sends');
  const missedSends = sent.filter((s) => s.message.threadId !== elsewhere.id);
  expect(missedSends).toHaveLength(45);
  await editMessage(ctx, {
    userId: teacher.id,
    messageId: early.message.id,
    input: { content: 'edited while you were away' },
  });
  const doomed = sent.find((s) => s.message.content === 'classmate 3')!.message;
  await deleteMessage(ctx, { userId: classmate.id, messageId: doomed.id });
  // Live participants hear of both too; a node learns of these writes only from its counter poll.
  await expect
    .poll(() => [teacherSees.updated.length, teacherSees.deleted.length], { timeout: 10_000 })
    .toEqual([1, 1]);
  expect(teacherSees.updated[0]!.message).toMatchObject({
    id: early.message.id,
    content: 'edited while you were away',
  });
  expect(teacherSees.deleted[0]!.message).toMatchObject({ id: doomed.id, content: null });

  // What it missed, as the database has it: its threads' changes after its position.
  // Every one of them has its position by now (the live participants above heard of the last
  // ones, and a pass numbers every earlier commit with them); one without would fail here.
  const changes = (
    await db
      .select({ pos: messageEvents.pos, kind: messageEvents.kind, messageId: messageEvents.messageId })
      .from(messageEvents)
      .where(
        and(
          inArray(messageEvents.threadId, [direct.id, discussion.id]),
          or(isNull(messageEvents.pos), gt(messageEvents.pos, from)),
        ),
      )
      .orderBy(asc(messageEvents.pos))
  ).map((c) => ({ ...c, pos: positioned(c.pos) }));
  expect(changes).toHaveLength(47);
  const createdInOrder = changes.filter((c) => c.kind === 'created').map((c) => c.messageId);
  expect(new Set(createdInOrder)).toEqual(new Set(missedSends.map((s) => s.message.id)));

  await sleep(droppedAt + DROP_MS - Date.now());
  let resumed: MessagingClient;
  let after: Recording;
  if (away !== home) {
    // Another process: a new client (a reload, say) that starts from the old one's position.
    client.close();
    resumed = await connect(away, student, from);
    after = record(resumed);
  } else {
    after = record(client);
    resumed = client;
    client.socket.connect();
  }
  await resumed.ready();

  expect(after.syncs).toEqual([{ position: expect.any(Number), replayed: changes.length, resumed: true }]);
  expect(after.durable).toEqual(
    changes.map((c) => ({ event: EVENT_OF[c.kind], position: c.pos, messageId: c.messageId })),
  );
  expect(after.messages.map((e) => e.message.id)).toEqual(createdInOrder);
  expect(after.wire.map((e) => e.message.id)).toEqual(createdInOrder);
  expect(after.updated.map((e) => [e.message.id, e.message.content])).toEqual([
    [early.message.id, 'edited while you were away'],
  ]);
  expect(after.deleted.map((e) => [e.message.id, e.message.content])).toEqual([[doomed.id, null]]);
  expect(after.syncs[0]!.position).toBeGreaterThanOrEqual(changes.at(-1)!.pos);

  // Live again: the next message arrives once, and nothing of the replay comes a second time.
  const next = await teacherClient.send({ threadId: direct.id, content: 'welcome back' });
  await expect.poll(() => after.messages.at(-1)?.message.id).toBe(next.message.id);
  await sleep(SETTLE_MS);
  expect(after.messages.map((e) => e.message.id)).toEqual([...createdInOrder, next.message.id]);
  expect(after.wire).toHaveLength(createdInOrder.length + 1);
  expect(after.updated).toHaveLength(1);
  expect(after.deleted).toHaveLength(1);
}

function positioned(pos: number | null): number {
  if (pos === null) throw new Error('a committed change still has no position');
  return pos;
}

const EVENT_OF = {
  created: 'new-message',
  updated: 'message-updated',
  deleted: 'message-deleted',
} as const;

// ---- sends racing edits and deletes, a reader resuming at random ---------------------------------

const RACE_THREADS = 16;
const RACE_SENDS_PER_THREAD = 10;

interface RawChange {
  kind: 'created' | 'updated' | 'deleted';
  position: number;
  threadId: string;
  messageId: string;
}

/** Every durable event as it came off the socket (the typed client's repeat check bypassed). */
function recordRaw(client: MessagingClient, into: RawChange[]) {
  for (const [event, kind] of [
    ['new-message', 'created'],
    ['message-updated', 'updated'],
    ['message-deleted', 'deleted'],
  ] as const) {
    client.socket.on(event, (p) =>
      into.push({ kind, position: p.position, threadId: p.threadId, messageId: p.message.id }),
    );
  }
}

/** An edit or a delete through one node's domain and bus (tests/support/realtime-node.ts). */
async function changeOn(
  node: AppNode,
  body: { kind: 'edit' | 'delete'; userId: string; messageId: string; content?: string },
) {
  const res = await fetch(`${node.url}/__change`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${body.kind} on ${node.url}: ${res.status} ${await res.text()}`);
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

// ---- two processes on Postgres + Redis ------------------------------------------------------------

describe.runIf(CLUSTER)('realtime cluster: two processes on Postgres + Redis', () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>> | undefined;
  let database: Database | undefined;
  let cookieFor: CookieFor;
  let env: NodeEnv;
  const nodes: AppNode[] = [];
  const clients: MessagingClient[] = [];
  const db = () => database!.db;

  beforeAll(async () => {
    scratch = await createScratchPostgres('cm_cluster');
    database = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 5 });
    await migrateDatabase(database);
    cookieFor = installTestServices(database.db, { rateLimiter: unlimited }).cookieFor;
    env = { DATABASE_URL: scratch.url, REDIS_URL, AUTH_SECRET };
    nodes.push(...(await Promise.all([spawnAppNode(env), spawnAppNode(env)])));
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
    await database?.close();
    await scratch?.drop();
  });

  it('fans out from one process to the sockets of the other: each new-message once, in order, typing to who has the thread open', async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const teacher = await createUser(db(), { role: 'INSTRUCTOR' });
    const students: User[] = [];
    for (let n = 0; n < 5; n++) students.push(await createUser(db()));
    const outsider = await createUser(db());
    const cls = await createClass(db(), { instructors: [{ id: teacher.id }] });
    for (const s of students) await enrollStudent(db(), { classId: cls.id, studentId: s.id });
    const classThread = await createThread(db(), {
      type: 'CLASS',
      classId: cls.id,
      createdById: teacher.id,
      participantIds: students.map((s) => s.id),
      title: 'Across processes',
    });
    const direct = await createThread(db(), {
      type: 'DIRECT',
      createdById: teacher.id,
      participantIds: [students[0]!.id],
    });

    const connect = async (url: string, user: User) => {
      const client = clientFor(url, await cookieFor(user));
      clients.push(client);
      const recording = record(client);
      const typing: UserTypingPayload[] = [];
      client.on('user-typing', (t) => void typing.push(t));
      const updates: ThreadUpdatedPayload[] = [];
      client.on('thread-updated', (u) => void updates.push(u));
      await client.ready();
      return { client, recording, typing, updates };
    };
    const sender = await connect(a.url, teacher);
    const teacherOnB = await connect(b.url, teacher);
    const studentsOnB = await Promise.all(students.map((s) => connect(b.url, s)));
    const firstOnA = await connect(a.url, students[0]!);
    const outsiderOnA = await connect(a.url, outsider);
    const outsiderOnB = await connect(b.url, outsider);
    // Thread room and user room on B: still one event.
    await studentsOnB[1]!.client.joinThread(classThread.id);

    const acks: SendResult[] = [];
    for (let i = 0; i < 3; i++)
      acks.push(await sender.client.send({ threadId: classThread.id, content: `class ${i}` }));
    for (let i = 0; i < 2; i++)
      acks.push(await sender.client.send({ threadId: direct.id, content: `direct ${i}` }));
    // And the other way: a send on B reaches the teacher on A.
    acks.push(await studentsOnB[2]!.client.send({ threadId: classThread.id, content: 'from B' }));
    expect(acks.every((x) => x.created)).toBe(true);
    // A change committed by a process that died before publishing it (here: this process, which
    // has no bus). The next change, published, leaves a gap that both nodes fill from the
    // database; both arrive in position order, once.
    const unannounced = await sendMessage(
      { db: db() },
      { threadId: classThread.id, userId: teacher.id, content: 'committed, never announced' },
    );
    const announced = await sender.client.send({ threadId: classThread.id, content: 'announced' });

    const all = [...acks.map((x) => x.message), unannounced.message, announced.message];
    const classOnly = all.filter((m) => m.threadId === classThread.id);
    const expected = new Map([
      [sender, all],
      [teacherOnB, all],
      [firstOnA, all],
      [studentsOnB[0]!, all],
      ...studentsOnB.slice(1).map((r) => [r, classOnly] as const),
    ]);
    for (const [receiver, wanted] of expected) {
      await expect.poll(() => receiver.recording.messages.length).toBe(wanted.length);
    }
    await sleep(SETTLE_MS);
    for (const [receiver, wanted] of expected) {
      // The payload is the acknowledged message, exactly; in send order; once, on the wire too.
      expect(receiver.recording.messages.map((e) => e.message)).toEqual(wanted);
      expect(receiver.recording.wire.map((e) => e.message.id)).toEqual(wanted.map((m) => m.id));
      const positions = receiver.recording.messages.map((e) => e.position);
      for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
    }

    // thread-updated reaches every participant on either process, whichever process ran the
    // round: the class thread's row ends at its last message, with each one's own unread count
    // (everything after their pointer but their own; the teacher sent all but one).
    const lastRow = (r: { updates: ThreadUpdatedPayload[] }, threadId: string) =>
      r.updates.findLast((u) => u.threadId === threadId)?.thread;
    for (const s of [...studentsOnB, firstOnA]) {
      await expect.poll(() => lastRow(s, classThread.id)?.lastMessage?.id).toBe(announced.message.id);
    }
    expect(lastRow(studentsOnB[2]!, classThread.id)?.unreadCount).toBe(2);
    expect(lastRow(studentsOnB[0]!, classThread.id)?.unreadCount).toBe(classOnly.length);
    for (const r of [sender, teacherOnB]) {
      await expect.poll(() => lastRow(r, classThread.id)?.lastMessage?.id).toBe(announced.message.id);
      await expect.poll(() => lastRow(r, direct.id)?.lastMessage?.id).toBe(acks[4]!.message.id);
      expect(lastRow(r, classThread.id)?.unreadCount).toBe(0);
    }

    // Typing on B reaches the teacher on A, who has the thread open; the outsider cannot open it.
    await sender.client.joinThread(classThread.id);
    await expect(outsiderOnA.client.joinThread(classThread.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(outsiderOnB.client.joinThread(classThread.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const typist = studentsOnB[3]!;
    await typist.client.joinThread(classThread.id);
    expect(await typist.client.startTyping(classThread.id)).toEqual({ broadcast: true });
    await expect.poll(() => sender.typing.length).toBe(1);
    expect(sender.typing[0]).toMatchObject({
      threadId: classThread.id,
      userId: students[3]!.id,
      isTyping: true,
    });
    expect(await typist.client.stopTyping(classThread.id)).toEqual({ broadcast: true });
    await expect.poll(() => sender.typing.at(-1)?.isTyping).toBe(false);
    // Also on B, to someone with the thread open there.
    await expect.poll(() => studentsOnB[1]!.typing.map((t) => t.isTyping)).toEqual([true, false]);
    await sleep(SETTLE_MS);
    expect(typist.typing).toEqual([]);
    // Participants without the thread open get no typing.
    expect(firstOnA.typing).toEqual([]);
    expect(studentsOnB[4]!.typing).toEqual([]);

    // The outsider, on either process, hears nothing at all.
    for (const o of [outsiderOnA, outsiderOnB]) {
      expect(o.recording.wire).toEqual([]);
      expect(o.recording.updated).toEqual([]);
      expect(o.typing).toEqual([]);
      expect(o.updates).toEqual([]);
    }
  }, 60_000);

  it(`loss test: ${TOTAL} messages from 8 senders on two processes, one SIGKILLed and restarted halfway`, async () => {
    const world = await seedLossWorld(db(), cookieFor);
    const run = await driveLossTraffic({ world, nodes, env, clients });
    verifyLoss('postgres+redis, 2 processes', run, await storedMessages(db(), world.threadIds));
  }, 180_000);

  it(`loss test: ${TOTAL} messages on two processes, one stopped with SIGTERM halfway: it drains and exits 0, nothing lost or repeated`, async () => {
    const world = await seedLossWorld(db(), cookieFor);
    const run = await driveLossTraffic({ world, nodes, env, clients, signal: 'SIGTERM' });
    verifyLoss('postgres+redis, 2 processes, SIGTERM', run, await storedMessages(db(), world.threadIds));
  }, 180_000);

  it('a client offline for 30 s resumes on the other process with exactly what it missed, in order', async () => {
    await runShortDrop({
      db: db(),
      cookieFor,
      urls: [nodes[0]!.url, nodes[1]!.url],
      clients,
    });
  }, 120_000);
  it(`${RACE_THREADS} threads, sends racing edits and deletes through both processes: a reader resuming at random sees each change once, in commit order, without gaps`, async () => {
    const teacher = await createUser(db(), { role: 'INSTRUCTOR' });
    const writers = [teacher];
    for (let n = 0; n < 3; n++) writers.push(await createUser(db()));
    const reader = await createUser(db());
    const cls = await createClass(db(), { instructors: [{ id: teacher.id }] });
    for (const u of [...writers.slice(1), reader])
      await enrollStudent(db(), { classId: cls.id, studentId: u.id });
    const threadIds: string[] = [];
    for (let n = 0; n < RACE_THREADS; n++) {
      const thread = await createThread(db(), {
        type: 'CLASS',
        classId: cls.id,
        createdById: teacher.id,
        participantIds: [...writers.slice(1), reader].map((u) => u.id),
        title: `Race ${n}`,
        studentsCanReply: true,
      });
      threadIds.push(thread.id);
    }

    // Each writer sends through a client on each process, one message in flight per client.
    const senders: Array<{ user: User; client: MessagingClient }> = [];
    for (const user of writers) {
      const cookie = await cookieFor(user);
      for (const node of nodes) {
        const client = clientFor(node.url, cookie);
        clients.push(client);
        senders.push({ user, client });
      }
    }
    await Promise.all(senders.map((s) => s.client.ready()));

    // The reader: a first connect, then, until the traffic is over, a new connection every 50–300
    // ms to a process picked at random, resuming from the last position seen. (Every 150–600 ms
    // fitted only two hops into the traffic once the sends got faster with group commit.)
    const readerCookie = await cookieFor(reader);
    const raw: RawChange[] = [];
    let current = clientFor(pick(nodes).url, readerCookie);
    clients.push(current);
    recordRaw(current, raw);
    await current.ready();
    const start = current.position!;
    let resumes = 0;
    let trafficOver = false;
    const hopping = (async () => {
      while (!trafficOver) {
        await sleep(50 + Math.random() * 250);
        const from = current.position!;
        current.close();
        current = clientFor(pick(nodes).url, readerCookie, { position: from });
        clients.push(current);
        recordRaw(current, raw);
        await current.ready();
        resumes++;
      }
    })();

    // The traffic: every send acknowledged may be edited, then deleted, by its author through
    // either process, while the other sends go on.
    const changes: Promise<void>[] = [];
    const sends = senders.map(async ({ user, client }, i) => {
      for (let n = 0; n < (RACE_THREADS * RACE_SENDS_PER_THREAD) / senders.length; n++) {
        const threadId = threadIds[(i + n * senders.length) % RACE_THREADS]!;
        const { message } = await client.send({ threadId, content: `race ${i}.${n}` });
        const roll = Math.random();
        if (roll < 0.5) {
          changes.push(
            (async () => {
              await changeOn(pick(nodes), {
                kind: 'edit',
                userId: user.id,
                messageId: message.id,
                content: `edited ${i}.${n}`,
              });
              if (roll < 0.25)
                await changeOn(pick(nodes), { kind: 'delete', userId: user.id, messageId: message.id });
            })(),
          );
        } else if (roll < 0.65) {
          changes.push(changeOn(pick(nodes), { kind: 'delete', userId: user.id, messageId: message.id }));
        }
      }
    });
    await within(Promise.all(sends), 90_000, () => 'sends');
    await within(Promise.all(changes), 60_000, () => 'edits and deletes');
    trafficOver = true;
    await hopping;

    // Everything committed is numbered, and the reader has caught up with it.
    const stored = async () =>
      db()
        .select({
          id: messageEvents.id,
          pos: messageEvents.pos,
          kind: messageEvents.kind,
          threadId: messageEvents.threadId,
          messageId: messageEvents.messageId,
        })
        .from(messageEvents)
        .where(inArray(messageEvents.threadId, threadIds))
        .orderBy(asc(messageEvents.id));
    await expect
      .poll(async () => (await stored()).filter((r) => r.pos === null).length, { timeout: 10_000 })
      .toBe(0);
    const rows = (await stored()).map((r) => ({ ...r, pos: positioned(r.pos) }));
    const last = Math.max(...rows.map((r) => r.pos));
    await expect.poll(() => current.position, { timeout: 15_000 }).toBe(last);
    await sleep(SETTLE_MS);

    const expected = rows.filter((r) => r.pos > start).sort((a, b) => a.pos - b.pos);
    console.log(
      `race test: ${rows.length} changes (${rows.filter((r) => r.kind === 'created').length} sends, ` +
        `${rows.filter((r) => r.kind === 'updated').length} edits, ${rows.filter((r) => r.kind === 'deleted').length} deletes) ` +
        `in ${RACE_THREADS} threads; reader resumed ${resumes} times, received ${raw.length}`,
    );
    expect(resumes).toBeGreaterThanOrEqual(3);
    // Once each, in position order, none missing: exactly the stored changes after where it began.
    expect(raw.map((c) => c.position)).toEqual(expected.map((r) => r.pos));
    expect(raw).toEqual(
      expected.map((r) => ({ kind: r.kind, position: r.pos, threadId: r.threadId, messageId: r.messageId })),
    );
    for (const threadId of threadIds) {
      // Per thread, the reader's order is the order of the thread's change rows (its commit order).
      const mine = raw.filter((c) => c.threadId === threadId).map((c) => c.position);
      const committed = rows.filter((r) => r.threadId === threadId && r.pos > start).map((r) => r.pos);
      expect(mine).toEqual(committed);
    }
    // A message is created, then edited, then deleted, in that order of positions.
    const rank = { created: 0, updated: 1, deleted: 2 } as const;
    const byMessage = new Map<string, RawChange[]>();
    for (const c of raw) byMessage.set(c.messageId, [...(byMessage.get(c.messageId) ?? []), c]);
    for (const list of byMessage.values()) {
      expect(list[0]!.kind).toBe('created');
      const ranks = list.map((c) => rank[c.kind]);
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    }
    // And the feed as a whole has no hole: positions 1..N, each once.
    const all = await db()
      .select({ pos: messageEvents.pos })
      .from(messageEvents)
      .orderBy(asc(messageEvents.pos));
    expect(all.map((r) => r.pos)).toEqual(all.map((_, i) => i + 1));
  }, 180_000);
});

// ---- embedded: one process on a PGlite folder ---------------------------------------------------

// The embedded mode is every fresh install's. The loss tests run wherever the embedded database is
// covered (EMBEDDED_RUN: every run but CI's second, after its first ran them on the same tree).
describe('realtime on an embedded database: one process', () => {
  const cleanup: Array<() => unknown> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  async function embeddedLossTest(signal: StopSignal) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-loss-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const nodes: AppNode[] = [];
    cleanup.push(() => Promise.all(nodes.splice(0).map((n) => n.stop())));
    const clients: MessagingClient[] = [];
    cleanup.push(() => clients.splice(0).forEach((c) => c.close()));

    // Seeded here, then closed: the folder is the node's alone while it runs.
    const seed = await openDatabase({ kind: 'pglite', dataDir: dir });
    let world: LossWorld;
    try {
      await migrateDatabase(seed);
      world = await seedLossWorld(
        seed.db,
        installTestServices(seed.db, { rateLimiter: unlimited }).cookieFor,
      );
    } finally {
      await seed.close();
    }
    // Empty values override a DATABASE_URL / REDIS_URL of the test's own environment.
    const env: NodeEnv = { DATA_DIR: dir, DATABASE_URL: '', REDIS_URL: '', AUTH_SECRET };
    nodes.push(await spawnAppNode(env));
    const run = await driveLossTraffic({ world, nodes, env, clients, signal });

    for (const c of clients.splice(0)) c.close();
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
    const check = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      verifyLoss(`pglite, 1 process, ${signal}`, run, await storedMessages(check.db, world.threadIds));
    } finally {
      await check.close();
    }
  }

  it.runIf(EMBEDDED_RUN)(
    `loss test: ${TOTAL} messages from 8 senders, the process SIGKILLed and restarted halfway`,
    async () => {
      await embeddedLossTest('SIGKILL');
    },
    180_000,
  );

  it.runIf(EMBEDDED_RUN)(
    `loss test: ${TOTAL} messages from 8 senders, the process stopped with SIGTERM halfway: it drains and exits 0, nothing lost or repeated`,
    async () => {
      await embeddedLossTest('SIGTERM');
    },
    180_000,
  );

  it('a client offline for 30 s resumes with exactly what it missed, in order', async () => {
    // On Postgres when DATABASE_URL is set (without Redis there is no second process to move to).
    const database = await createTestDatabase(DATABASE_URL ? 'postgres' : 'pglite');
    cleanup.push(() => database.dispose());
    const api = installTestServices(database.db, { rateLimiter: unlimited });
    const server = await startRealtimeServer(api.services);
    cleanup.push(() => server.close());
    const clients: MessagingClient[] = [];
    try {
      await runShortDrop({
        db: database.db,
        events: api.services.events,
        cookieFor: api.cookieFor,
        urls: [server.url, server.url],
        clients,
      });
    } finally {
      for (const c of clients) c.close();
    }
  }, 120_000);
});
