// A socket lives no longer than its session: sign-out, revocation and expiry close it, and a write
// on a socket whose session ended is refused. Real better-auth sessions, real socket.io-client
// connections, real databases; nothing is mocked.
//
// Always: one process (PGlite, and Postgres when DATABASE_URL is set). With DATABASE_URL and
// REDIS_URL: two app processes, a sign-out through one's better-auth route closing the socket on
// the other.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as rawConnect } from 'socket.io-client';
import type { Auth } from '@/auth/auth';
import { getSignedIn } from '@/auth/session';
import { createSessionEvents } from '@/auth/session-events';
import { openDatabase, type Database } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { messages, sessions } from '@/db/schema';
import type { MessagingClient } from '@/realtime/client';
import type { MessageEventPayload } from '@/realtime/contract';
import { createDirectPair } from '../factories';
import { BASE, installTestServices, signIn, TEST_AUTH_SECRET, type TestApi } from '../support/api';
import { createScratchPostgres, createTestDatabase, dbKinds, type TestDatabase } from '../support/db';
import { sleep, within } from '../support/loss';
import {
  CLUSTER,
  CLUSTER_REDIS_URL,
  clientFor,
  spawnAppNode,
  startRealtimeServer,
  unlimited,
  type AppNode,
  type RealtimeServer,
} from '../support/realtime';

const REDIS_URL = CLUSTER_REDIS_URL;
const AUTH_SECRET = TEST_AUTH_SECRET;
/** Long enough after each check for a stray delivery to arrive, if there were one. */
const SETTLE_MS = 500;

/** When and why the server closed a client's socket; fails after `ms` without it. */
function closing(client: MessagingClient, ms = 10_000): Promise<{ reason: string; at: number }> {
  const closed = new Promise<{ reason: string; at: number }>((resolve) =>
    client.socket.once('disconnect', (reason) => resolve({ reason, at: Date.now() })),
  );
  return within(closed, ms, () => 'the socket is still open');
}

function newMessages(client: MessagingClient): MessageEventPayload[] {
  const got: MessageEventPayload[] = [];
  client.on('new-message', (p) => void got.push(p));
  return got;
}

/** POST /api/auth/sign-out as the browser sends it: the cookie, and its own origin. */
function signOutRequest(base: string, cookie: string): Request {
  return new Request(`${base}/api/auth/sign-out`, {
    method: 'POST',
    headers: { cookie, origin: BASE },
  });
}

/** A handshake with `cookie`, refused or not: the connect_error's code, or 'CONNECTED'. */
async function handshakeWith(url: string, cookie: string): Promise<string> {
  const socket = rawConnect(`${url}/messages`, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie },
  });
  try {
    return await new Promise<string>((resolve) => {
      socket.on('connect', () => resolve('CONNECTED'));
      socket.on('connect_error', (err: Error & { data?: { code?: string } }) =>
        resolve(err.data?.code ?? err.message),
      );
    });
  } finally {
    socket.close();
  }
}

describe.each(dbKinds())('socket sessions on %s: one process', (kind) => {
  let database: TestDatabase;
  let api: TestApi;
  let auth: Auth;
  /** Hears auth's session news; its periodic check (60 s) never runs within a test. */
  let server: RealtimeServer;
  /** A process that missed the news (a bus nobody publishes on), checking only on each event. */
  let deaf: RealtimeServer;
  /** Missed the news too, but re-checks its sockets' sessions every 200 ms. */
  let polling: RealtimeServer;
  const clients: MessagingClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    api = installTestServices(database.db, { rateLimiter: unlimited });
    auth = api.services.auth;
    server = await startRealtimeServer(api.services);
    deaf = await startRealtimeServer({ ...api.services, sessionEvents: createSessionEvents() });
    polling = await startRealtimeServer(
      { ...api.services, sessionEvents: createSessionEvents() },
      { sessionRecheckMs: 200 },
    );
  });
  afterAll(async () => {
    await Promise.all([server, deaf, polling].map((s) => s?.close()));
    await database?.dispose();
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));

  async function connect(url: string, cookie: string) {
    const client = clientFor(url, cookie);
    clients.push(client);
    await client.ready();
    return client;
  }

  async function sessionOf(cookie: string) {
    const signedIn = await getSignedIn(auth, new Headers({ cookie }));
    const [row] = await database.db.select().from(sessions).where(eq(sessions.id, signedIn!.sessionId));
    return row!;
  }

  it('sign-out closes every socket of that session at once; the other session stays; the old cookie is refused', async () => {
    const { instructor, student, thread } = await createDirectPair(database.db);
    const laptopCookie = await signIn(auth, student.email);
    const phoneCookie = await signIn(auth, student.email);
    const tabs = [await connect(server.url, laptopCookie), await connect(server.url, laptopCookie)];
    const phone = await connect(server.url, phoneCookie);
    const teacher = await connect(server.url, await api.cookieFor(instructor));
    const closed = tabs.map((t) => closing(t));
    const tabInbox = tabs.map(newMessages);
    const phoneInbox = newMessages(phone);

    const res = await auth.handler(signOutRequest(BASE, laptopCookie));
    expect(res.status).toBe(200);
    for (const c of await Promise.all(closed)) expect(c.reason).toBe('io server disconnect');

    const { message } = await teacher.send({ threadId: thread.id, content: 'after sign-out' });
    await expect.poll(() => phoneInbox.map((e) => e.message.id)).toEqual([message.id]);
    await sleep(SETTLE_MS);
    expect(tabInbox).toEqual([[], []]);
    expect(phone.socket.connected).toBe(true);

    expect(await handshakeWith(server.url, laptopCookie)).toBe('UNAUTHORIZED');
    expect(await handshakeWith(server.url, phoneCookie)).toBe('CONNECTED');
  });

  it('a write on a socket whose session ended is refused with UNAUTHORIZED and the socket closed, even before the news arrives', async () => {
    const { instructor, student, thread } = await createDirectPair(database.db);
    const cookie = await signIn(auth, student.email);
    const teacher = await connect(server.url, await api.cookieFor(instructor));
    const { message } = await teacher.send({ threadId: thread.id, content: 'read me' });
    // One socket per event: the first refusal closes its socket.
    const sockets = await Promise.all(Array.from({ length: 5 }, () => connect(deaf.url, cookie)));
    const closed = sockets.map((s) => closing(s));

    expect((await auth.handler(signOutRequest(BASE, cookie))).status).toBe(200);
    // The deaf process never heard of it: still connected until its sockets write.
    await sleep(SETTLE_MS);
    expect(sockets.every((s) => s.socket.connected)).toBe(true);

    const clientMessageId = randomUUID();
    const [send, join, start, stop, read] = sockets as [
      MessagingClient,
      MessagingClient,
      MessagingClient,
      MessagingClient,
      MessagingClient,
    ];
    const refused = { code: 'UNAUTHORIZED' };
    await expect(
      send.send({ threadId: thread.id, content: 'after sign-out', clientMessageId }),
    ).rejects.toMatchObject(refused);
    await expect(join.joinThread(thread.id)).rejects.toMatchObject(refused);
    await expect(start.startTyping(thread.id)).rejects.toMatchObject(refused);
    await expect(stop.stopTyping(thread.id)).rejects.toMatchObject(refused);
    await expect(read.markRead(thread.id, message.id)).rejects.toMatchObject(refused);
    for (const c of await Promise.all(closed)) expect(c.reason).toBe('io server disconnect');

    const stored = await database.db
      .select()
      .from(messages)
      .where(eq(messages.clientMessageId, clientMessageId));
    expect(stored).toEqual([]);
  });

  it("revoking a session from the user's other device, or an admin deleting it through better-auth, closes its sockets", async () => {
    const { student } = await createDirectPair(database.db);
    const laptopCookie = await signIn(auth, student.email);
    const phoneCookie = await signIn(auth, student.email);
    const laptop = await connect(server.url, laptopCookie);
    const phone = await connect(server.url, phoneCookie);
    const laptopClosed = closing(laptop);
    const phoneClosed = closing(phone);

    // "Sign out that device" from the phone: better-auth's revokeSession.
    await auth.api.revokeSession({
      headers: new Headers({ cookie: phoneCookie }),
      body: { token: (await sessionOf(laptopCookie)).token },
    });
    expect((await laptopClosed).reason).toBe('io server disconnect');
    expect(phone.socket.connected).toBe(true);

    // An administrator ending the user's sessions (what an admin tool calls).
    const ctx = await auth.$context;
    await ctx.internalAdapter.deleteUserSessions(student.id);
    expect((await phoneClosed).reason).toBe('io server disconnect');
    expect(await handshakeWith(server.url, phoneCookie)).toBe('UNAUTHORIZED');
  });

  it('the periodic check closes sockets whose session expired or was deleted without a word', async () => {
    const { student } = await createDirectPair(database.db);
    const expiringCookie = await signIn(auth, student.email);
    const deletedCookie = await signIn(auth, student.email);
    const liveCookie = await signIn(auth, student.email);
    const expiring = await connect(polling.url, expiringCookie);
    const deleted = await connect(polling.url, deletedCookie);
    const live = await connect(polling.url, liveCookie);
    const closed = [closing(expiring), closing(deleted)];

    await database.db
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.id, (await sessionOf(expiringCookie)).id));
    await database.db.delete(sessions).where(eq(sessions.id, (await sessionOf(deletedCookie)).id));

    for (const c of await Promise.all(closed)) expect(c.reason).toBe('io server disconnect');
    await sleep(SETTLE_MS);
    expect(live.socket.connected).toBe(true);
  });
});

// ---- two processes on Postgres + Redis ------------------------------------------------------------

/** The nodes' periodic check: short, yet far longer than the broadcast should take. */
const CLUSTER_RECHECK_MS = 30_000;

describe.runIf(CLUSTER)('socket sessions: two processes on Postgres + Redis', () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>> | undefined;
  let database: Database | undefined;
  let api: TestApi;
  const nodes: AppNode[] = [];
  const clients: MessagingClient[] = [];
  /** No node can have run its periodic check before this. */
  let firstCheckNotBefore = 0;

  beforeAll(async () => {
    scratch = await createScratchPostgres('cm_sessions');
    database = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 5 });
    await migrateDatabase(database);
    api = installTestServices(database.db, { rateLimiter: unlimited });
    const env = {
      DATABASE_URL: scratch.url,
      REDIS_URL,
      AUTH_SECRET,
      SESSION_RECHECK_MS: String(CLUSTER_RECHECK_MS),
    };
    firstCheckNotBefore = Date.now() + CLUSTER_RECHECK_MS;
    nodes.push(...(await Promise.all([spawnAppNode(env), spawnAppNode(env)])));
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
    await database?.close();
    await scratch?.drop();
  });

  it("a sign-out through one process's better-auth route closes the session's socket on the other, by broadcast", async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const { instructor, student, thread } = await createDirectPair(database!.db);
    const laptopCookie = await signIn(api.services.auth, student.email);
    const phoneCookie = await signIn(api.services.auth, student.email);
    const connect = async (url: string, cookie: string) => {
      const client = clientFor(url, cookie);
      clients.push(client);
      await client.ready();
      return client;
    };
    const laptop = await connect(b.url, laptopCookie);
    const phone = await connect(b.url, phoneCookie);
    const teacher = await connect(a.url, await api.cookieFor(instructor));
    await laptop.joinThread(thread.id);
    const laptopInbox = newMessages(laptop);
    const phoneInbox = newMessages(phone);
    const before = await teacher.send({ threadId: thread.id, content: 'before sign-out' });
    await expect.poll(() => laptopInbox.map((e) => e.message.id)).toEqual([before.message.id]);
    const laptopClosed = closing(laptop, CLUSTER_RECHECK_MS * 2);

    const signedOutAt = Date.now();
    const res = await fetch(signOutRequest(a.url, laptopCookie));
    expect(res.status).toBe(200);
    const closed = await laptopClosed;
    console.log(`sign-out on A → socket on B closed in ${closed.at - signedOutAt} ms (${closed.reason})`);
    expect(closed.reason).toBe('io server disconnect');
    // Before either node's first periodic check could have run: the close came from the broadcast.
    expect(closed.at).toBeLessThan(firstCheckNotBefore);

    const after = await teacher.send({ threadId: thread.id, content: 'after sign-out' });
    await expect.poll(() => phoneInbox.map((e) => e.message.id)).toContain(after.message.id);
    await sleep(SETTLE_MS);
    expect(laptopInbox.map((e) => e.message.id)).toEqual([before.message.id]);
    expect(phone.socket.connected).toBe(true);

    // The laptop's client tries again with its old cookie, on either process: refused.
    laptop.socket.connect();
    await expect.poll(() => laptop.status).toBe('unauthorized');
    expect(laptop.socket.connected).toBe(false);
    expect(await handshakeWith(a.url, laptopCookie)).toBe('UNAUTHORIZED');
    expect(await handshakeWith(b.url, laptopCookie)).toBe('UNAUTHORIZED');
  }, 60_000);
});
