// Replies, reactions, mentions and edit history in CLASS discussions, through the real route
// handlers and real Socket.IO clients, on PGlite and (with DATABASE_URL) Postgres: they are live,
// survive a reconnect and resume in order, stay inside their thread (a foreign message cannot be
// quoted or reacted to), mentions reach participants only, and history is for participants only.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as iHistory from '@/app/api/instructor/messages/[messageId]/history/route';
import * as iReaction from '@/app/api/instructor/messages/[messageId]/reactions/[emoji]/route';
import * as iMessage from '@/app/api/instructor/messages/[messageId]/route';
import * as iMessages from '@/app/api/instructor/messages/threads/[threadId]/messages/route';
import * as sHistory from '@/app/api/user/messages/[messageId]/history/route';
import * as sMessage from '@/app/api/user/messages/[messageId]/route';
import * as sReaction from '@/app/api/user/messages/[messageId]/reactions/[emoji]/route';
import * as sThreads from '@/app/api/user/messages/threads/route';
import { messageMentions, type User } from '@/db/schema';
import { ZMessage, type TMessageView } from '@/messaging/dto';
import type { MessagingEvent } from '@/messaging/events';
import { countUnreadMentions } from '@/messaging/message-mentions';
import { ZMessageHistory } from '@/messaging/message-history';
import type { MessageEventPayload } from '@/realtime/contract';
import type { MessagingClient } from '@/realtime/client';
import { ZErrorBody } from '@/server/operation';
import { createClass, createDirectPair, createThread, createUser, enrollStudent } from '../factories';
import { call } from '../support/api';
import { dbKinds } from '../support/db';
import { useRealtimeSuite } from '../support/realtime-suite';
import { clientFor } from '../support/realtime';

function collect(client: MessagingClient) {
  const got: Array<{ event: string } & MessageEventPayload> = [];
  for (const event of ['new-message', 'message-updated', 'message-deleted'] as const)
    client.on(event, (p) => void got.push({ event, ...p }));
  return got;
}

describe.each(dbKinds())('discussion tools on %s', (kind) => {
  const suite = useRealtimeSuite(kind);
  const { clients } = suite;

  const { connect } = suite;

  /** A discussion of a class: Maya (primary), Sam and Aisha enrolled; Olga teaches elsewhere. */
  async function discussion() {
    const db = suite.database.db;
    const maya = await createUser(db, { role: 'INSTRUCTOR', name: 'Maya Chen' });
    const sam = await createUser(db, { name: 'Sam Rivera' });
    const aisha = await createUser(db, { name: 'Aisha Khan' });
    const cls = await createClass(db, { instructors: [{ id: maya.id }] });
    for (const s of [sam, aisha]) await enrollStudent(db, { classId: cls.id, studentId: s.id });
    const thread = await createThread(db, {
      type: 'CLASS',
      classId: cls.id,
      createdById: maya.id,
      participantIds: [sam.id, aisha.id],
      title: 'Week 3 questions',
      studentsCanReply: true,
    });
    return { maya, sam, aisha, thread };
  }

  async function react(user: User, messageId: string, emoji: string, method: 'PUT' | 'DELETE' = 'PUT') {
    const handler = user.role === 'STUDENT' ? sReaction[method] : iReaction[method];
    const area = user.role === 'STUDENT' ? 'user' : 'instructor';
    return call(handler, `/api/${area}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`, {
      cookie: await suite.api.cookieFor(user),
      params: { messageId, emoji },
      method,
    });
  }

  it('a reply and reactions arrive live and again, in order, after a reconnect and resume', async () => {
    const { maya, sam, aisha, thread } = await discussion();
    const teacher = await connect(maya);
    const samClient = await connect(sam);
    const live = collect(samClient);
    const question = (await teacher.send({ threadId: thread.id, content: 'Any questions on set 3?' }))
      .message;

    // Sam answers with a reply; Aisha's reaction goes over REST. Both reach Sam's socket live.
    const reply = (
      await samClient.send({ threadId: thread.id, content: 'Is 3b graded?', replyToId: question.id })
    ).message;
    expect(reply.replyTo).toEqual({
      id: question.id,
      senderName: 'Maya Chen',
      excerpt: 'Any questions on set 3?',
    });
    const reacted = await react(aisha, question.id, '👍');
    expect(reacted.status).toBe(200);
    const view = ZMessage.parse(reacted.body.data);
    expect(view.reactions).toEqual([
      { emoji: '👍', count: 1, users: [{ id: aisha.id, name: 'Aisha Khan' }] },
    ]);
    expect(view.version).toBe(1);
    await expect.poll(() => live.length, { timeout: 15_000 }).toBe(3);
    expect(live.map((e) => e.event)).toEqual(['new-message', 'new-message', 'message-updated']);
    expect(live[2]!.message.reactions[0]?.count).toBe(1);
    const position = samClient.position!;
    samClient.close();

    // While Sam is away: a second reaction, a reaction by name, and one taken back.
    await react(maya, question.id, '👍');
    await react(maya, reply.id, 'check');
    await react(aisha, question.id, '👍', 'DELETE');
    const answer = (await teacher.send({ threadId: thread.id, content: 'Yes, it is.', replyToId: reply.id }))
      .message;

    const back = clientFor(suite.server.url, await suite.api.cookieFor(sam), { position });
    clients.push(back);
    const replayed = collect(back);
    await back.ready();
    // The resume replays the changes in feed order; each carries the message as it is now. A change
    // the sequencer had not numbered yet when Sam came back arrives live just after, in the same order.
    await expect.poll(() => replayed.at(-1)?.message.id, { timeout: 15_000 }).toBe(answer.id);
    const positions = replayed.map((e) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(replayed.at(-1)!.message.replyTo?.id).toBe(reply.id);
    const latest = new Map<string, TMessageView>();
    for (const e of replayed) latest.set(e.message.id, e.message);
    expect(latest.get(question.id)?.reactions).toEqual([
      { emoji: '👍', count: 1, users: [{ id: maya.id, name: 'Maya Chen' }] },
    ]);
    expect(latest.get(reply.id)?.reactions.map((r) => r.emoji)).toEqual(['✅']);

    // The REST page agrees, and shows the replies' quotes.
    const page = await call(iMessages.GET, `/api/instructor/messages/threads/${thread.id}/messages`, {
      cookie: await suite.api.cookieFor(maya),
      params: { threadId: thread.id },
    });
    const byId = new Map<string, TMessageView>(page.body.data.messages.map((m: TMessageView) => [m.id, m]));
    expect(byId.get(question.id)?.reactions[0]?.users.map((u) => u.name)).toEqual(['Maya Chen']);
    expect(byId.get(answer.id)?.replyTo?.excerpt).toBe('Is 3b graded?');
  });

  it('reacting twice changes nothing; unknown emoji, foreign and deleted messages are refused', async () => {
    const { maya, sam, thread } = await discussion();
    const other = await createDirectPair(suite.database.db);
    const { message } = await (
      await connect(maya)
    ).send({ threadId: thread.id, content: 'Quick poll: who is done?' });
    expect((await react(sam, message.id, '✅')).body.data.version).toBe(1);
    const again = await react(sam, message.id, '✅');
    expect(again.status).toBe(200);
    expect(again.body.data.version).toBe(1);
    expect(again.body.data.reactions[0].count).toBe(1);

    const bad = await react(sam, message.id, '🎉');
    expect(bad.status).toBe(400);
    expect(ZErrorBody.parse(bad.body).error.code).toBe('VALIDATION_FAILED');

    // A message of a thread Sam is not in does not exist for him: no reaction, no quote.
    const foreign = (
      await (await connect(other.instructor)).send({ threadId: other.thread.id, content: 'x' })
    ).message;
    const refused = await react(sam, foreign.id, '👍');
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('NOT_FOUND');
    const quoted = await call(sThreads.POST, '/api/user/messages/threads', {
      cookie: await suite.api.cookieFor(sam),
      body: { threadId: thread.id, content: 'About that', replyToId: foreign.id },
    });
    expect(quoted.status).toBe(404);
    expect(quoted.body.error.fields?.replyToId).toBeDefined();

    await call(iMessage.DELETE, `/api/instructor/messages/${message.id}`, {
      cookie: await suite.api.cookieFor(maya),
      params: { messageId: message.id },
      method: 'DELETE',
    });
    expect((await react(sam, message.id, '❤️')).status).toBe(409);
  });

  it('mentions mark only participants’ unread, and announce a hook for notifications', async () => {
    const { maya, sam, aisha, thread } = await discussion();
    const outsider = await createUser(suite.database.db, { name: 'Nora Haddad' });
    const heard: MessagingEvent[] = [];
    const off = suite.api.services.events.subscribe((e) => void heard.push(e));
    const res = await call(sThreads.POST, '/api/user/messages/threads', {
      cookie: await suite.api.cookieFor(sam),
      body: {
        threadId: thread.id,
        content: '@Aisha Khan and @Maya Chen, can we meet?',
        mentionIds: [aisha.id, maya.id, outsider.id, sam.id],
      },
    });
    off();
    expect(res.status).toBe(201);
    const message = ZMessage.parse(res.body.data);
    // The outsider is no participant and Sam cannot mention himself.
    expect(message.mentions).toEqual([aisha.id, maya.id].sort());
    const rows = await suite.database.db
      .select({ userId: messageMentions.userId })
      .from(messageMentions)
      .where(eq(messageMentions.messageId, message.id));
    expect(rows.map((r) => r.userId).sort()).toEqual([aisha.id, maya.id].sort());
    expect(await countUnreadMentions(suite.database.db, aisha.id, thread.id)).toBe(1);
    expect(await countUnreadMentions(suite.database.db, outsider.id, thread.id)).toBe(0);
    const hook = heard.find((e) => e.type === 'message.mentioned');
    expect(hook?.participantIds.sort()).toEqual([aisha.id, maya.id].sort());

    // The thread's summary carries the mark until Aisha reads it.
    const listed = await call(sThreads.GET, '/api/user/messages/threads', {
      cookie: await suite.api.cookieFor(aisha),
    });
    expect(listed.body.data.threads.find((t: { id: string }) => t.id === thread.id)?.unreadMentions).toBe(1);
  });

  it('edit history: earlier versions with times, for the thread’s participants only', async () => {
    const { maya, sam, thread } = await discussion();
    const outsider = await createUser(suite.database.db);
    const { message } = await (await connect(sam)).send({ threadId: thread.id, content: 'Draft one' });
    for (const content of ['Draft two', 'Final answer']) {
      const edited = await call(sMessage.PATCH, `/api/user/messages/${message.id}`, {
        cookie: await suite.api.cookieFor(sam),
        params: { messageId: message.id },
        body: { content },
        method: 'PATCH',
      });
      expect(edited.status).toBe(200);
    }
    // Another participant (the instructor) sees every version; so does the author.
    for (const [who, handler, area] of [
      [maya, iHistory.GET, 'instructor'],
      [sam, sHistory.GET, 'user'],
    ] as const) {
      const res = await call(handler, `/api/${area}/messages/${message.id}/history`, {
        cookie: await suite.api.cookieFor(who),
        params: { messageId: message.id },
      });
      expect(res.status).toBe(200);
      const history = ZMessageHistory.parse(res.body.data);
      expect(history.versions.map((v) => v.content)).toEqual(['Draft one', 'Draft two', 'Final answer']);
      expect(history.versions.at(-1)!.replacedAt).toBeNull();
      expect(history.versions[0]!.writtenAt).toBe(message.createdAt);
      expect(history.versions[0]!.replacedAt! <= history.versions[1]!.writtenAt).toBe(true);
    }
    const denied = await call(sHistory.GET, `/api/user/messages/${message.id}/history`, {
      cookie: await suite.api.cookieFor(outsider),
      params: { messageId: message.id },
    });
    expect(denied.status).toBe(404);
    expect(denied.body.error.code).toBe('NOT_FOUND');
  });
});
