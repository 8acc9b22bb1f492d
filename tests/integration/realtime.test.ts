// The realtime server in this process, with real socket.io-client connections, better-auth
// sessions and the database (PGlite, and Postgres when DATABASE_URL is set). The REST handlers run
// here too and share the event bus, as they share it with server.ts in production.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { io as rawConnect } from 'socket.io-client';
import * as iMessage from '@/app/api/instructor/messages/[messageId]/route';
import * as iMessages from '@/app/api/instructor/messages/threads/[threadId]/messages/route';
import { removeEnrollment } from '@/classroom/enroll-student';
import { sequenceFeed } from '@/messaging/feed-sequencer';
import { sendMessage } from '@/messaging/send-message';
import { metrics, SEND_STAGES } from '@/platform/metrics';
import { updateThreadSettings } from '@/messaging/update-thread-settings';
import type { MessagingClient } from '@/realtime/client';
import type { MessageEventPayload, ThreadUpdatedPayload, UserTypingPayload } from '@/realtime/contract';
import {
  createClass,
  createDirectPair,
  createThread,
  createUser,
  enrollStudent,
  postMessages,
} from '../factories';
import { call, installTestServices } from '../support/api';
import { createTestDatabase, dbKinds } from '../support/db';
import { useRealtimeSuite } from '../support/realtime-suite';
import { clientFor, startRealtimeServer, unlimited } from '../support/realtime';

/** Collects one event kind from a client. */
function collect<T>(client: MessagingClient, event: 'new-message' | 'message-updated' | 'message-deleted') {
  const got: T[] = [];
  client.on(event, (p) => void got.push(p as T));
  return got;
}

function typingOf(client: MessagingClient) {
  const got: UserTypingPayload[] = [];
  client.on('user-typing', (p) => void got.push(p));
  return got;
}

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

describe.each(dbKinds())('realtime on %s', (kind) => {
  const suite = useRealtimeSuite(kind);
  const { clients } = suite;

  const { connect } = suite;

  it('refuses a handshake without a valid session with connect_error UNAUTHORIZED', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { cookie: 'better-auth.session_token=forged.value' },
    ];
    for (const headers of attempts) {
      const socket = rawConnect(`${suite.server.url}/messages`, {
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: headers,
      });
      const err = await new Promise<Error & { data?: { code: string } }>((resolve) =>
        socket.on('connect_error', resolve),
      );
      socket.close();
      expect(err.data?.code).toBe('UNAUTHORIZED');
    }
  });

  it('refuses every connection to the default namespace, which serves nothing', async () => {
    const user = await createUser(suite.database.db);
    const cookie = await suite.api.cookieFor(user);
    const attempts: Array<Record<string, string>> = [{}, { cookie }];
    for (const headers of attempts) {
      const socket = rawConnect(suite.server.url, {
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: headers,
      });
      const outcome = await new Promise<string | undefined>((resolve) => {
        socket.on('connect', () => resolve('CONNECTED'));
        socket.on('connect_error', (err: Error & { data?: { code: string } }) => resolve(err.data?.code));
      });
      socket.close();
      expect(outcome).toBe('NOT_FOUND');
    }
  });

  it('refuses join-thread on a foreign thread and delivers that thread nothing', async () => {
    const { instructor, thread } = await createDirectPair(suite.database.db);
    const outsider = await createUser(suite.database.db);
    const spy = await connect(outsider);
    const teacher = await connect(instructor);
    const seen = collect<MessageEventPayload>(spy, 'new-message');
    const typing = typingOf(spy);

    await expect(spy.joinThread(thread.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(spy.joinThread(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(spy.startTyping(thread.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(spy.socket.connected).toBe(true);

    await teacher.joinThread(thread.id);
    await teacher.startTyping(thread.id);
    await teacher.send({ threadId: thread.id, content: 'private' });
    await settle();
    expect(seen).toEqual([]);
    expect(typing).toEqual([]);
  });

  it('fans a socket send out to every participant once, and acknowledges the stored message', async () => {
    const teacher = await createUser(suite.database.db, { role: 'INSTRUCTOR' });
    const cls = await createClass(suite.database.db, { instructors: [{ id: teacher.id }] });
    const students = await Promise.all([1, 2, 3].map(() => createUser(suite.database.db)));
    for (const s of students) await enrollStudent(suite.database.db, { classId: cls.id, studentId: s.id });
    const thread = await createThread(suite.database.db, {
      type: 'CLASS',
      classId: cls.id,
      createdById: teacher.id,
      participantIds: students.map((s) => s.id),
      title: 'Week 1',
    });
    const sender = await connect(teacher);
    const receivers = await Promise.all(students.map((s) => connect(s)));
    // One of them has the thread open too: in the thread room and its user room, still one event.
    await receivers[0]!.joinThread(thread.id);
    const inboxes = receivers.map((r) => collect<MessageEventPayload>(r, 'new-message'));
    const ownTab = collect<MessageEventPayload>(sender, 'new-message');

    const clientMessageId = randomUUID();
    const ack = await sender.send({ threadId: thread.id, content: 'Welcome, everyone', clientMessageId });
    expect(ack.created).toBe(true);
    expect(ack.message).toMatchObject({ content: 'Welcome, everyone', clientMessageId, seq: 1 });

    await expect.poll(() => inboxes.map((i) => i.length)).toEqual([1, 1, 1]);
    await expect.poll(() => ownTab.length).toBe(1);
    await settle();
    for (const inbox of inboxes) {
      expect(inbox).toHaveLength(1);
      expect(inbox[0]!.message).toEqual(ack.message);
      expect(inbox[0]!.position).toBeGreaterThan(0);
    }

    // A retry with the same key returns the original and delivers nothing new.
    const again = await sender.send({ threadId: thread.id, content: 'Welcome, everyone', clientMessageId });
    expect(again).toEqual({ message: ack.message, created: false });
    await settle();
    expect(inboxes.map((i) => i.length)).toEqual([1, 1, 1]);
  });

  it('times every stage of a socket send, from the event to the emit, in /api/metrics', async () => {
    const { instructor, student, thread } = await createDirectPair(suite.database.db);
    const sender = await connect(instructor);
    const receiver = await connect(student);
    const inbox = collect<MessageEventPayload>(receiver, 'new-message');
    const before = await stageCounts();
    await sender.send({ threadId: thread.id, content: 'timed', clientMessageId: randomUUID() });
    await expect.poll(() => inbox.length).toBe(1);
    const after = await stageCounts();
    for (const stage of SEND_STAGES) expect(after[stage] ?? 0, stage).toBeGreaterThan(before[stage] ?? 0);
  });

  it('a REST send produces the same new-message as a socket send', async () => {
    const { instructor, student, thread } = await createDirectPair(suite.database.db);
    const listener = await connect(student);
    const got = collect<MessageEventPayload>(listener, 'new-message');
    const sender = await connect(instructor);

    const viaSocket = await sender.send({ threadId: thread.id, content: 'over the socket' });
    const viaRest = await call(iMessages.POST, `/api/instructor/messages/threads/${thread.id}/messages`, {
      cookie: await suite.api.cookieFor(instructor),
      params: { threadId: thread.id },
      body: { content: 'over REST', clientMessageId: randomUUID() },
    });
    expect(viaRest.status).toBe(201);

    await expect.poll(() => got.length).toBe(2);
    expect(got[0]!.message).toEqual(viaSocket.message);
    expect(got[1]!.message).toEqual(viaRest.body.data);
    expect(Object.keys(got[1]!).sort()).toEqual(Object.keys(got[0]!).sort());
    expect(got[1]!.position).toBeGreaterThan(got[0]!.position);
  });

  it('edits and deletes over REST reach the other participant as message-updated and message-deleted', async () => {
    const { instructor, student, thread } = await createDirectPair(suite.database.db);
    const listener = await connect(student);
    const updated = collect<MessageEventPayload>(listener, 'message-updated');
    const deleted = collect<MessageEventPayload>(listener, 'message-deleted');
    const sender = await connect(instructor);
    const { message } = await sender.send({ threadId: thread.id, content: 'typo' });
    const cookie = await suite.api.cookieFor(instructor);
    const params = { messageId: message.id };
    expect(
      (
        await call(iMessage.PATCH, `/api/instructor/messages/${message.id}`, {
          cookie,
          params,
          method: 'PATCH',
          body: { content: 'fixed' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(iMessage.DELETE, `/api/instructor/messages/${message.id}`, {
          cookie,
          params,
          method: 'DELETE',
        })
      ).status,
    ).toBe(200);
    await expect.poll(() => [updated.length, deleted.length]).toEqual([1, 1]);
    expect(updated[0]!.message).toMatchObject({ id: message.id, content: 'fixed' });
    expect(deleted[0]!.message).toMatchObject({ id: message.id, content: null });
    expect(deleted[0]!.position).toBeGreaterThan(updated[0]!.position);
  });

  it('typing reaches the other participants who have the thread open, never the sender, and expires', async () => {
    const { instructor, student, thread } = await createDirectPair(suite.database.db);
    const typist = await connect(student);
    const otherTab = await connect(student);
    const reader = await connect(instructor);
    for (const c of [typist, otherTab, reader]) await c.joinThread(thread.id);
    const toReader = typingOf(reader);
    const toSelf = [...typingOf(typist), ...typingOf(otherTab)];

    expect(await typist.startTyping(thread.id)).toEqual({ broadcast: true });
    // Throttled: a repeat within the window extends the indicator without a second broadcast.
    expect(await typist.startTyping(thread.id)).toEqual({ broadcast: false });
    await expect.poll(() => toReader.length).toBe(1);
    expect(toReader[0]).toMatchObject({ threadId: thread.id, userId: student.id, isTyping: true });
    expect(await typist.stopTyping(thread.id)).toEqual({ broadcast: true });
    await expect.poll(() => toReader.at(-1)?.isTyping).toBe(false);

    // Never stopped: the server ends it by itself.
    await typist.startTyping(thread.id);
    await expect.poll(() => toReader.at(-1)?.isTyping).toBe(true);
    await expect.poll(() => toReader.at(-1)?.isTyping, { timeout: 8_000 }).toBe(false);
    expect(toSelf).toEqual([]);
  });

  it('mark-read gives read-receipt to the other participants and thread-updated with the unread count', async () => {
    const { instructor, student, thread } = await createDirectPair(suite.database.db);
    const teacher = await connect(instructor);
    const learner = await connect(student);
    const receipts: unknown[] = [];
    teacher.on('read-receipt', (r) => void receipts.push(r));
    const updates: Array<{ unread: number | undefined }> = [];
    learner.on('thread-updated', (u) => void updates.push({ unread: u.thread?.unreadCount }));
    const { message } = await teacher.send({ threadId: thread.id, content: 'Did you read this?' });
    await expect.poll(() => updates.at(-1)?.unread).toBe(1);

    const state = await learner.markRead(thread.id, message.id);
    expect(state).toMatchObject({ threadId: thread.id, lastReadSeq: message.seq, unreadCount: 0 });
    await expect.poll(() => receipts.length).toBe(1);
    expect(receipts[0]).toMatchObject({
      threadId: thread.id,
      userId: student.id,
      lastReadMessageId: message.id,
    });
    await expect.poll(() => updates.at(-1)?.unread).toBe(0);
    await expect(learner.markRead(thread.id, randomUUID())).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('thread-updated carries the unread totals of its recipient, inbox and all, after a send, a read and a leave', async () => {
    const { instructor, student, cls, thread } = await createDirectPair(suite.database.db);
    // A muted thread with one unread message: the dashboard's figure counts it, the inbox's does not.
    const muted = await createThread(suite.database.db, {
      type: 'CLASS',
      classId: cls.id,
      createdById: instructor.id,
      participantIds: [student.id],
      title: 'Muted',
    });
    await postMessages(suite.database.db, muted.id, [{ senderId: instructor.id, content: 'quiet' }]);
    await updateThreadSettings(
      { db: suite.database.db },
      { userId: student.id, threadId: muted.id, input: { muted: true } },
    );
    const teacher = await connect(instructor);
    const learner = await connect(student);
    const updates: ThreadUpdatedPayload[] = [];
    learner.on('thread-updated', (u) => u.threadId === thread.id && updates.push(u));
    const totals = (messages: number, threads: number) => ({
      unreadMessages: messages,
      unreadThreads: threads,
    });

    const { message } = await teacher.send({ threadId: thread.id, content: 'Unread for now' });
    await expect.poll(() => updates.at(-1)?.thread?.unreadCount).toBe(1);
    expect(updates.at(-1)!.unread).toEqual({ inbox: totals(1, 1), all: totals(2, 2) });

    await learner.markRead(thread.id, message.id);
    await expect.poll(() => updates.at(-1)?.thread?.unreadCount).toBe(0);
    expect(updates.at(-1)!.unread).toEqual({ inbox: totals(0, 0), all: totals(1, 1) });

    // Leaving the class takes the muted thread away, and its unread message out of the totals.
    const lost: ThreadUpdatedPayload[] = [];
    learner.on('thread-updated', (u) => u.threadId === muted.id && lost.push(u));
    const membership = { classId: cls.id, studentId: student.id };
    await removeEnrollment({ db: suite.database.db, events: suite.api.services.events }, membership);
    await expect
      .poll(() => lost)
      .toEqual([{ threadId: muted.id, thread: null, unread: { inbox: totals(0, 0), all: totals(0, 0) } }]);
  });

  it('paces thread-updated rounds by their recipients: a burst after a large round folds into one summary', async () => {
    // Four recipients a round at 4 per second: after each round the worker rests about a second.
    const paced = await startRealtimeServer(suite.api.services, { threadUpdateEmitsPerSecond: 4 });
    try {
      const instructor = await createUser(suite.database.db, { role: 'INSTRUCTOR' });
      const cls = await createClass(suite.database.db, { instructors: [{ id: instructor.id }] });
      const students = [];
      for (let i = 0; i < 3; i++) {
        const student = await createUser(suite.database.db);
        await enrollStudent(suite.database.db, { classId: cls.id, studentId: student.id });
        students.push(student);
      }
      const thread = await createThread(suite.database.db, {
        type: 'CLASS',
        classId: cls.id,
        createdById: instructor.id,
        participantIds: students.map((s) => s.id),
      });
      const open = async (user: { email: string }) => {
        const client = clientFor(paced.url, await suite.api.cookieFor(user));
        clients.push(client);
        await client.ready();
        return client;
      };
      const teacher = await open(instructor);
      const learner = await open(students[0]!);
      const updates: Array<{ at: number; unread: number | undefined }> = [];
      learner.on('thread-updated', (u) => {
        if (u.threadId === thread.id) updates.push({ at: Date.now(), unread: u.thread?.unreadCount });
      });

      await teacher.send({ threadId: thread.id, content: 'First' });
      await expect.poll(() => updates.length).toBe(1);
      const first = updates[0]!.at;
      await teacher.send({ threadId: thread.id, content: 'Second' });
      await teacher.send({ threadId: thread.id, content: 'Third' });
      await expect.poll(() => updates.at(-1)?.unread, { timeout: 5_000 }).toBe(3);
      // The two later sends came in one summary, after the rest the first round earned (4 / 4 s).
      expect(updates.map((u) => u.unread)).toEqual([1, 3]);
      expect(updates[1]!.at - first).toBeGreaterThanOrEqual(800);
    } finally {
      await paced.close();
    }
  });

  it('answers bad payloads with an error ack, never a crash', async () => {
    const { student, thread } = await createDirectPair(suite.database.db);
    const c = await connect(student);
    const ack = (event: string, payload: unknown) =>
      c.socket.timeout(5000).emitWithAck(event as 'join-thread', payload as string);
    expect(await ack('join-thread', { threadId: 42 })).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(
      await ack('send-message', { threadId: thread.id, content: '   ', clientMessageId: 'k1' }),
    ).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await ack('send-message', { threadId: thread.id, content: 'no key' })).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await ack('mark-read', null)).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(c.socket.connected).toBe(true);
  });

  it('a student who leaves the class stops receiving the class thread at once', async () => {
    const teacher = await createUser(suite.database.db, { role: 'INSTRUCTOR' });
    const cls = await createClass(suite.database.db, { instructors: [{ id: teacher.id }] });
    const leaver = await createUser(suite.database.db);
    await enrollStudent(suite.database.db, { classId: cls.id, studentId: leaver.id });
    const thread = await createThread(suite.database.db, {
      type: 'CLASS',
      classId: cls.id,
      createdById: teacher.id,
      participantIds: [leaver.id],
      title: 'Discussion',
    });
    const c = await connect(leaver);
    await c.joinThread(thread.id);
    const got = collect<MessageEventPayload>(c, 'new-message');
    const removed: unknown[] = [];
    c.on('thread-updated', (u) => u.thread === null && removed.push(u));
    await removeEnrollment(
      { db: suite.database.db, events: suite.api.services.events },
      { classId: cls.id, studentId: leaver.id },
    );
    await expect.poll(() => removed.length).toBe(1);
    const t = await connect(teacher);
    await t.send({ threadId: thread.id, content: 'after you left' });
    await settle();
    expect(got).toEqual([]);
  });

  it('a change committed but never announced (its process died first) still arrives, in position order', async () => {
    const { instructor, student, thread } = await createDirectPair(suite.database.db);
    const learner = await connect(student);
    const got = collect<MessageEventPayload>(learner, 'new-message');
    // Committed with nobody told, as when a process dies between its commit and its sequencer
    // pass ...
    const silent = await sendMessage(
      { db: suite.database.db },
      { threadId: thread.id, userId: instructor.id, content: 'committed, never published' },
    );
    // ... then an announced one: a pass numbers both (the silent one first: it committed first in
    // the thread), and both are delivered in order.
    const teacher = await connect(instructor);
    const announced = await teacher.send({ threadId: thread.id, content: 'published' });
    await expect.poll(() => got.map((e) => e.message.id)).toEqual([silent.message.id, announced.message.id]);
    expect(got[1]!.position).toBe(got[0]!.position + 1);

    // And the last change of a dead process, with nothing after it, arrives through the periodic
    // pass.
    const trailing = await sendMessage(
      { db: suite.database.db },
      { threadId: thread.id, userId: instructor.id, content: 'the last words' },
    );
    await expect.poll(() => got.length, { timeout: 5_000 }).toBe(3);
    expect(got[2]!.message.id).toBe(trailing.message.id);

    // A change numbered by a pass whose process died before handing it on (here this process's
    // pass, which hands it to nobody, unless the server's timer numbered it first): the server's
    // dispatcher reads it from the suite.database.
    const numbered = await sendMessage(
      { db: suite.database.db },
      { threadId: thread.id, userId: instructor.id, content: 'numbered, never handed on' },
    );
    await sequenceFeed({ db: suite.database.db });
    await expect.poll(() => got.length, { timeout: 5_000 }).toBe(4);
    expect(got[3]!.message.id).toBe(numbered.message.id);
    expect(got.map((e) => e.position)).toEqual([0, 1, 2, 3].map((i) => got[0]!.position + i));
  });

  it('a client that reconnects with its position gets what it missed, in order, once', async () => {
    const { instructor, student, thread } = await createDirectPair(suite.database.db);
    const learner = await connect(student);
    const got = collect<MessageEventPayload>(learner, 'new-message');
    const teacher = await connect(instructor);
    const teacherGot = collect<MessageEventPayload>(teacher, 'new-message');
    await teacher.send({ threadId: thread.id, content: 'before' });
    await expect.poll(() => got.length).toBe(1);
    const position = learner.position!;
    learner.close();

    const missed: string[] = [];
    for (let i = 0; i < 25; i++)
      missed.push((await teacher.send({ threadId: thread.id, content: `missed ${i}` })).message.id);
    // An acknowledgement comes at the commit, a position with the sequencer's next pass: the
    // teacher's own socket hearing the last one shows they are all in the feed. (A resume racing
    // that pass gets the rest live, after `sync`: the cluster tests' hopping reader covers it.)
    await expect.poll(() => teacherGot.length).toBe(26);

    // Listeners go on before the handshake: the replay arrives before `sync`.
    const back = clientFor(suite.server.url, await suite.api.cookieFor(student), { position });
    clients.push(back);
    const replayed = collect<MessageEventPayload>(back, 'new-message');
    const syncs: Array<{ replayed: number; resumed: boolean }> = [];
    back.on('sync', (s) => void syncs.push(s));
    await back.ready();
    expect(syncs).toEqual([expect.objectContaining({ replayed: 25, resumed: true })]);
    expect(replayed.map((e) => e.message.id)).toEqual(missed);
    const positions = replayed.map((e) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(positions.length);
    expect(back.position).toBeGreaterThanOrEqual(positions.at(-1)!);
  });
});

// Registered only with Redis (the CI service run).
describe.runIf(process.env.REDIS_URL)('two deployments on one Redis', () => {
  it('never hear each other: each database has its own channel', async () => {
    const deployments = await Promise.all(
      [0, 1].map(async () => {
        const database = await createTestDatabase('pglite');
        const api = installTestServices(database.db, { rateLimiter: unlimited });
        const server = await startRealtimeServer(api.services, { redisUrl: process.env.REDIS_URL });
        const pair = await createDirectPair(database.db);
        return { database, api, server, pair };
      }),
    );
    const clients: MessagingClient[] = [];
    try {
      const open = async (d: (typeof deployments)[number], user: { email: string }) => {
        const c = clientFor(d.server.url, await d.api.cookieFor(user));
        clients.push(c);
        await c.ready();
        return c;
      };
      const [a, b] = deployments as [(typeof deployments)[number], (typeof deployments)[number]];
      const aSender = await open(a, a.pair.instructor);
      const bSender = await open(b, b.pair.instructor);
      const bReceiver = await open(b, b.pair.student);
      const got = collect<MessageEventPayload>(bReceiver, 'new-message');
      // Deployment A moves its feed to positions 1..3 first. Were they to reach B's dispatcher,
      // B's own position 1 would look delivered already and be dropped.
      for (const n of [1, 2, 3]) await aSender.send({ threadId: a.pair.thread.id, content: `a ${n}` });
      await settle();
      const own = await bSender.send({ threadId: b.pair.thread.id, content: 'b 1' });
      await expect.poll(() => got.map((e) => e.message.id)).toEqual([own.message.id]);
      expect(got[0]!.position).toBe(1);
    } finally {
      clients.forEach((c) => c.close());
      for (const d of deployments) {
        await d.server.close();
        await d.database.dispose();
      }
    }
  });
});

/** How many observations each send stage has, from the process's Prometheus registry. */
async function stageCounts(): Promise<Record<string, number>> {
  const text = await metrics().registry.getSingleMetricAsString('cm_send_stage_seconds');
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/cm_send_stage_seconds_count\{stage="(\w+)"\} (\d+)/g))
    counts[match[1]!] = Number(match[2]);
  return counts;
}
