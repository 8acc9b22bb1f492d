// Socket.IO through the production server.ts: the handshake authenticated by the real session
// cookie, REST and socket sends reaching the other side live, typing, and a cross-site origin
// refused. Uses Jonas and Ben (Creative Writing) so the seeded threads other specs read stay as they are.
import { randomUUID } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { JONAS, BEN, AVA, signInApi } from './accounts';
import { createMessagingClient, type MessagingClient } from '@/realtime/client';
import type { MessageEventPayload, UserTypingPayload } from '@/realtime/contract';

async function cookieOf(request: APIRequestContext): Promise<string> {
  const { cookies } = await request.storageState();
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

test('messages, typing and reads travel live between an instructor and a student', async ({
  playwright,
  baseURL,
}) => {
  const contexts = await Promise.all([JONAS, BEN, AVA].map(() => playwright.request.newContext({ baseURL })));
  const [jonas, ben, ava] = contexts as [APIRequestContext, APIRequestContext, APIRequestContext];
  await Promise.all([signInApi(jonas, JONAS), signInApi(ben, BEN), signInApi(ava, AVA)]);
  const benId = (await (await ben.get('/api/auth/get-session')).json()).user.id as string;

  const clients: MessagingClient[] = [];
  const connect = async (request: APIRequestContext) => {
    const client = createMessagingClient({
      url: baseURL,
      headers: { cookie: await cookieOf(request) },
      transports: ['websocket'],
    });
    clients.push(client);
    await client.ready();
    return client;
  };
  try {
    const [jonasSocket, benSocket, avaSocket] = await Promise.all([
      connect(jonas),
      connect(ben),
      connect(ava),
    ]);
    const toBen: MessageEventPayload[] = [];
    const toJonas: MessageEventPayload[] = [];
    // Ava is in Creative Writing, where other specs post class threads at the same time: only
    // events of this conversation count.
    const toAva: Array<{ threadId: string }> = [];
    benSocket.on('new-message', (e) => void toBen.push(e));
    jonasSocket.on('new-message', (e) => void toJonas.push(e));
    avaSocket.on('new-message', (e) => void toAva.push(e));
    avaSocket.on('user-typing', (e) => void toAva.push(e));

    // Jonas starts the conversation over REST: Ben's socket hears it without having opened anything.
    const created = await jonas.post('/api/instructor/messages/threads', {
      data: {
        type: 'DIRECT',
        recipientId: benId,
        content: 'Your story draft is due Friday.',
        clientMessageId: randomUUID(),
      },
    });
    expect(created.status()).toBe(201);
    const { thread, message } = (await created.json()).data;
    await expect.poll(() => toBen.map((e) => e.message.id)).toContain(message.id);

    // Ben reads it; Jonas gets the receipt.
    const receipts: unknown[] = [];
    jonasSocket.on('read-receipt', (r) => void receipts.push(r));
    await benSocket.markRead(thread.id);
    await expect
      .poll(() => receipts)
      .toContainEqual(expect.objectContaining({ userId: benId, threadId: thread.id }));

    // Ben opens the thread and answers over the socket while Jonas watches him type.
    await benSocket.joinThread(thread.id);
    await jonasSocket.joinThread(thread.id);
    const typing: UserTypingPayload[] = [];
    jonasSocket.on('user-typing', (e) => void typing.push(e));
    await benSocket.startTyping(thread.id);
    await expect.poll(() => typing.at(-1)).toMatchObject({ userId: benId, isTyping: true });
    const reply = await benSocket.send({ threadId: thread.id, content: 'Thanks, it will be there.' });
    expect(reply.created).toBe(true);
    await expect.poll(() => toJonas.map((e) => e.message.id)).toContain(reply.message.id);
    await expect.poll(() => typing.at(-1)?.isTyping).toBe(false);

    // Ava is signed in and connected, and heard none of it; she cannot join either.
    await expect(avaSocket.joinThread(thread.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(toAva.filter((e) => e.threadId === thread.id)).toEqual([]);
  } finally {
    clients.forEach((c) => c.close());
    await Promise.all(contexts.map((c) => c.dispose()));
  }
});

test('a handshake from another site, or without a session, is refused', async ({ playwright, baseURL }) => {
  const jonas = await playwright.request.newContext({ baseURL });
  await signInApi(jonas, JONAS);
  const attempts: Array<{ headers: Record<string, string>; code: string | undefined }> = [
    { headers: { cookie: await cookieOf(jonas), origin: 'https://evil.example' }, code: undefined },
    { headers: {}, code: 'UNAUTHORIZED' },
  ];
  try {
    for (const attempt of attempts) {
      const client = createMessagingClient({
        url: baseURL,
        headers: attempt.headers,
        transports: ['websocket'],
        socketOptions: { reconnection: false },
      });
      const error = await new Promise<Error & { data?: { code: string } }>((resolve) =>
        client.socket.on('connect_error', resolve),
      );
      client.close();
      expect(client.socket.connected).toBe(false);
      if (attempt.code) expect(error.data?.code).toBe(attempt.code);
    }
  } finally {
    await jonas.dispose();
  }
});
