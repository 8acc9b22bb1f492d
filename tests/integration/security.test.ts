// The write-side defences, through the real route adapter and better-auth, on PGlite and (when
// DATABASE_URL is set) Postgres: cookie writes from another origin or in another format are refused
// on every mutating operation (generated from the declarations, so a new route is covered by
// itself), text that is not valid Unicode is refused and nothing is stored, and the sign-in limit
// holds against spoofed X-Forwarded-For while reading the right hop behind a trusted proxy.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INSTRUCTOR_OPERATIONS } from '@/app/api/_classroom/operations';
import { OPERATIONS } from '@/app/api/_messaging/operations';
import * as authRoute from '@/app/api/auth/[...all]/route';
import { messageParticipants, messageThreads, messages, type MessageThread, type User } from '@/db/schema';
import { sendMessage } from '@/messaging/send-message';
import { clientIp, parseTrustProxy, type TTrustProxy } from '@/platform/client-ip';
import { createMemoryRateLimiter } from '@/platform/rate-limit';
import { recordClientIp } from '@/server/client-address';
import { toRouteHandler, type Operation } from '@/server/operation';
import { createDirectPair, createThread, createUser } from '../factories';
import { BASE, installTestServices, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

const FOREIGN = 'http://evil.example';
const SIBLING = 'http://localhost:3199';

/** Every state-changing operation the API declares, with the area it is served in. */
function mutatingOperations(): Array<{ area: 'instructor' | 'student'; op: Operation }> {
  const all = [
    ...OPERATIONS.instructor.map((op) => ({ area: 'instructor' as const, op })),
    ...OPERATIONS.student.map((op) => ({ area: 'student' as const, op })),
    ...INSTRUCTOR_OPERATIONS.map((op) => ({ area: 'instructor' as const, op })),
  ];
  return all.filter(({ op }) => op.method !== 'GET');
}

describe.each(dbKinds())('security of writes on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  let instructor: User;
  let student: User;
  let thread: MessageThread;
  let classThread: MessageThread;
  let messageId: string;
  let classId: string;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    api = installTestServices(t.db);
    const pair = await createDirectPair(t.db);
    instructor = pair.instructor;
    student = pair.student;
    thread = pair.thread;
    classId = pair.cls.id;
    classThread = await createThread(t.db, {
      type: 'CLASS',
      createdById: instructor.id,
      participantIds: [student.id],
      classId,
      title: 'Week 1',
    });
    const sent = await sendMessage(
      { db: t.db },
      { threadId: thread.id, userId: student.id, content: 'hello' },
    );
    messageId = sent.message.id;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  async function snapshot() {
    const [m] = await t.db.select({ n: count() }).from(messages);
    const [th] = await t.db.select({ n: count() }).from(messageThreads);
    const rows = await t.db.select().from(messages);
    const parts = await t.db.select().from(messageParticipants);
    return { messages: m?.n, threads: th?.n, rows, parts };
  }

  function paramsFor(op: Operation): Record<string, string> {
    const params: Record<string, string> = {};
    if (op.path.includes('{threadId}')) params.threadId = thread.id;
    if (op.path.includes('{messageId}')) params.messageId = messageId;
    return params;
  }

  const BODIES: Array<{ name: string; contentType: string; body: string; headers: Record<string, string> }> =
    [
      {
        name: 'a text/plain form from a foreign origin',
        contentType: 'text/plain',
        body: '{"content":"pwned","title":"pwned","muted":true}',
        headers: { origin: FOREIGN },
      },
      {
        name: 'a urlencoded form from a sibling origin of the same site',
        contentType: 'application/x-www-form-urlencoded',
        body: 'content=pwned&title=pwned',
        headers: { origin: SIBLING },
      },
      {
        name: 'JSON from a foreign origin',
        contentType: 'application/json',
        body: '{"content":"pwned","title":"pwned","muted":true}',
        headers: { origin: FOREIGN },
      },
      {
        name: 'JSON with no Origin but Sec-Fetch-Site: cross-site',
        contentType: 'application/json',
        body: '{"content":"pwned","title":"pwned","muted":true}',
        headers: { 'sec-fetch-site': 'cross-site' },
      },
      {
        name: 'JSON with Origin: null (a sandboxed frame)',
        contentType: 'application/json',
        body: '{"content":"pwned"}',
        headers: { origin: 'null' },
      },
    ];

  const ops = mutatingOperations();
  it('covers every mutating operation the API declares', () => {
    expect(ops.length).toBeGreaterThanOrEqual(10);
  });

  for (const { area, op } of ops) {
    for (const attempt of BODIES) {
      it(`${area} ${op.method} ${op.path}: ${attempt.name} is refused with 403 INVALID_ORIGIN and changes nothing`, async () => {
        const user = area === 'instructor' ? instructor : student;
        const before = await snapshot();
        const handler = toRouteHandler(op, { area });
        const res = await handler(
          new Request(`${BASE}/api/x`, {
            method: op.method,
            headers: {
              cookie: await api.cookieFor(user),
              'content-type': attempt.contentType,
              ...attempt.headers,
            },
            body: attempt.body,
          }),
          { params: Promise.resolve(paramsFor(op)) },
        );
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_ORIGIN');
        expect(await snapshot()).toEqual(before);
      });
    }

    it(`${area} ${op.method} ${op.path}: a same-origin text/plain body is refused with 415`, async () => {
      const user = area === 'instructor' ? instructor : student;
      const before = await snapshot();
      const res = await toRouteHandler(op, { area })(
        new Request(`${BASE}/api/x`, {
          method: op.method,
          headers: { cookie: await api.cookieFor(user), 'content-type': 'text/plain', origin: BASE },
          body: '{"content":"plain"}',
        }),
        { params: Promise.resolve(paramsFor(op)) },
      );
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await snapshot()).toEqual(before);
    });
  }

  it('a same-origin JSON write from the app’s page (Origin and Sec-Fetch-Site: same-origin) goes through', async () => {
    const op = OPERATIONS.student.find(
      (o) => o.method === 'POST' && o.path === '/threads/{threadId}/messages',
    )!;
    const res = await toRouteHandler(op, { area: 'student' })(
      new Request(`${BASE}/api/x`, {
        method: 'POST',
        headers: {
          cookie: await api.cookieFor(student),
          'content-type': 'application/json; charset=utf-8',
          origin: BASE,
          'sec-fetch-site': 'same-origin',
        },
        body: JSON.stringify({ content: 'from the app' }),
      }),
      { params: Promise.resolve({ threadId: thread.id }) },
    );
    expect(res.status).toBe(201);
  });

  describe('text that is not valid Unicode', () => {
    const LONE = ['a\\ud800b', '\\udfff', 'x\\udc00\\ud800y'];

    async function post(
      op: Operation,
      area: 'instructor' | 'student',
      user: User,
      rawBody: string,
      params = {},
    ) {
      const res = await toRouteHandler(op, { area })(
        new Request(`${BASE}/api/x`, {
          method: op.method,
          headers: { cookie: await api.cookieFor(user), 'content-type': 'application/json', origin: BASE },
          body: rawBody,
        }),
        { params: Promise.resolve(params) },
      );
      return { status: res.status, body: (await res.json()) as { error: { code: string; fields?: object } } };
    }
    const find = (area: 'instructor' | 'student', method: string, path: string) =>
      OPERATIONS[area].find((o) => o.method === method && o.path === path)!;

    for (const lone of LONE) {
      it(`"${lone}" is refused in a message, a new thread's title and message, a rename and an edit`, async () => {
        const before = await snapshot();
        const cases: Array<
          [Operation, 'instructor' | 'student', User, string, Record<string, string>, string]
        > = [
          [
            find('student', 'POST', '/threads/{threadId}/messages'),
            'student',
            student,
            `{"content":"${lone}"}`,
            { threadId: thread.id },
            'content',
          ],
          [
            find('instructor', 'POST', '/threads'),
            'instructor',
            instructor,
            `{"type":"CLASS","classId":"${classId}","title":"${lone}","content":"ok"}`,
            {},
            'title',
          ],
          [
            find('instructor', 'POST', '/threads'),
            'instructor',
            instructor,
            `{"type":"DIRECT","recipientId":"${student.id}","content":"${lone}"}`,
            {},
            'content',
          ],
          [
            find('instructor', 'PUT', '/threads/{threadId}'),
            'instructor',
            instructor,
            `{"title":"${lone}"}`,
            { threadId: classThread.id },
            'title',
          ],
          [
            find('student', 'PATCH', '/{messageId}'),
            'student',
            student,
            `{"content":"${lone}"}`,
            { messageId },
            'content',
          ],
        ];
        for (const [op, area, user, body, params, field] of cases) {
          const res = await post(op, area, user, body, params);
          expect(res.status, `${op.method} ${op.path}`).toBe(400);
          expect(res.body.error.code).toBe('VALIDATION_FAILED');
          expect(res.body.error.fields).toHaveProperty(field);
        }
        expect(await snapshot()).toEqual(before);
      });
    }

    it('well-formed astral characters (a surrogate pair) are stored exactly as sent', async () => {
      const res = await post(
        find('student', 'POST', '/threads/{threadId}/messages'),
        'student',
        student,
        '{"content":"ok \\ud83d\\ude00"}',
        { threadId: thread.id },
      );
      expect(res.status).toBe(201);
      expect((res.body as unknown as { data: { content: string } }).data.content).toBe('ok 😀');
    });
  });
});

// ---- the sign-in limit, through a real http server that records the client address as server.ts does

describe('the sign-in brute-force limit', () => {
  let t: TestDatabase;
  let server: Server;
  let port: number;
  let trust: TTrustProxy = { kind: 'off' };
  let accounts: User[];

  /** An http server in front of the real auth route: IncomingMessage → Request, like Next's. */
  async function toRequest(req: IncomingMessage): Promise<Request> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    return new Request(`${BASE}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
    });
  }

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    accounts = await Promise.all(Array.from({ length: 45 }, () => createUser(t.db)));
    server = createServer((req, res) => {
      recordClientIp(req, trust);
      void toRequest(req)
        .then((request) => authRoute.POST(request, {}))
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    // A fresh budget per case: the limiter lives in the services the route reads.
    installTestServices(t.db, { rateLimiter: createMemoryRateLimiter() });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t?.dispose();
  });

  function signIn(email: string, password: string, xff?: string) {
    return fetch(`http://127.0.0.1:${port}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: BASE,
        ...(xff ? { 'x-forwarded-for': xff } : {}),
        // A client cannot choose the address the limit keys on.
        'x-client-ip': xff ?? '203.0.113.9',
      },
      body: JSON.stringify({ email, password }),
    });
  }

  it('with TRUST_PROXY off, a new X-Forwarded-For per guess does not reset the per-address limit', async () => {
    trust = parseTrustProxy(undefined);
    const statuses: number[] = [];
    // 30 guesses a minute per address, each against a different account so the account limit never bites.
    for (let i = 0; i < 40; i++) {
      const res = await signIn(accounts[i]!.email, 'wrong-password', `198.51.100.${i}`);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
      } else await res.body?.cancel();
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    // The right password from a "new" address is still refused: the address is the socket's.
    const right = await signIn(accounts[44]!.email, 'classroom-demo', '192.0.2.200');
    expect(right.status).toBe(429);
  });

  it('guessing one account’s password from many addresses is slowed by the per-account limit', async () => {
    trust = parseTrustProxy('1');
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const res = await signIn(accounts[0]!.email, 'wrong-password', `198.51.100.${100 + i}`);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
  });

  it('with TRUST_PROXY=1, each client behind the proxy has its own budget, read from the right hop', async () => {
    trust = parseTrustProxy('1');
    // 35 guesses from one client behind the proxy: the 31st is limited …
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await signIn(accounts[i]!.email, 'wrong-password', `spoofed-${i}, 198.51.100.77`);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    // … while another client behind the same proxy still signs in.
    const other = await signIn(accounts[44]!.email, 'classroom-demo', '198.51.100.78');
    expect(other.status).toBe(200);
  });

  it('signing in answers without the session token in the body; it stays in the HttpOnly cookie', async () => {
    trust = parseTrustProxy(undefined);
    const res = await signIn(accounts[43]!.email, 'classroom-demo');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('token');
    expect(body).toHaveProperty('user');
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
  });
});

describe('clientIp', () => {
  const at = (forwardedFor: string | undefined, trust: string | undefined, remoteAddress = '10.0.0.5') =>
    clientIp({ remoteAddress, forwardedFor }, parseTrustProxy(trust));

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', () => {
    expect(at('1.2.3.4', undefined)).toBe('10.0.0.5');
    expect(at('1.2.3.4', 'false')).toBe('10.0.0.5');
    expect(at(undefined, '1', '::ffff:192.0.2.1')).toBe('192.0.2.1');
  });
  it('with N hops, takes the address the Nth proxy from us saw', () => {
    expect(at('1.2.3.4', '1')).toBe('1.2.3.4');
    expect(at('6.6.6.6, 1.2.3.4', '1')).toBe('1.2.3.4');
    expect(at('6.6.6.6, 1.2.3.4, 10.0.0.9', '2')).toBe('1.2.3.4');
    expect(at('1.2.3.4', '5')).toBe('1.2.3.4');
  });
  it('with CIDRs, takes the rightmost address that is not one of our proxies', () => {
    expect(at('6.6.6.6, 1.2.3.4, 10.0.0.9', '10.0.0.0/8')).toBe('1.2.3.4');
    expect(at('6.6.6.6, 1.2.3.4', '10.0.0.5, 192.168.0.0/16')).toBe('1.2.3.4');
    expect(at('1.2.3.4', '192.168.0.0/16')).toBe('10.0.0.5');
  });
  it('refuses a TRUST_PROXY it cannot read', () => {
    expect(() => parseTrustProxy('yes please')).toThrow(/TRUST_PROXY/);
  });
});
