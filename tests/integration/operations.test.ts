// Monitoring and operations, through the real route handlers and the custom server's request
// observer, on PGlite and (when DATABASE_URL is set) Postgres with Redis: /api/metrics is behind
// METRICS_TOKEN and exports every figure the dashboard uses; requests get an x-request-id that their
// log lines and error bodies carry; a 429, a refused sign-in and a refused session log their stable
// events; /api/ready answers 503 for a draining process or a database behind on migrations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as authRoute from '@/app/api/auth/[...all]/route';
import * as metricsRoute from '@/app/api/metrics/route';
import * as healthRoute from '@/app/api/health/route';
import * as readyRoute from '@/app/api/ready/route';
import { OPERATIONS } from '@/app/api/_messaging/operations';
import { setDatabase } from '@/db';
import { openDatabase } from '@/db/client';
import { MIGRATIONS_FOLDER, migrateDatabase, pendingMigrations } from '@/db/migrate';
import type { MessageThread, User } from '@/db/schema';
import { sendMessage } from '@/messaging/send-message';
import { startDraining } from '@/platform/lifecycle';
import { createLogger, setLogger } from '@/platform/logger';
import { hashEmail } from '@/platform/ops-events';
import { toErrorResponse } from '@/platform/http';
import { AppError } from '@/platform/errors';
import { observeRequest } from '@/server/http-observer';
import { toRouteHandler } from '@/server/operation';
import { createDirectPair } from '../factories';
import { BASE, installTestServices, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';
import { DASHBOARD_METRIC_NAMES } from '../support/dashboard';

vi.hoisted(() => {
  process.env.METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
  process.env.SIGNIN_ACCOUNT_RATE_LIMIT_PER_MINUTE = '3';
});
const TOKEN = 'metrics-token-for-tests-0123456789';

/** Every JSON line the app logs, captured. */
const lines: Array<Record<string, unknown>> = [];
setLogger(
  createLogger(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    }),
  ),
);
const events = (name: string) => lines.filter((l) => l.event === name);

async function scrape(authorization?: string): Promise<Response> {
  const headers = authorization ? { authorization } : undefined;
  return metricsRoute.GET(new Request(`${BASE}/api/metrics`, { headers }), undefined);
}

describe.each(dbKinds())('monitoring and operations on %s', (kind) => {
  let t: TestDatabase;
  let api: TestApi;
  let instructor: User;
  let student: User;
  let thread: MessageThread;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    setDatabase(t);
    api = installTestServices(t.db);
    ({ instructor, student, thread } = await createDirectPair(t.db));
    // The custom server's observer in front of real route handlers, as server.ts wires it.
    const listMessages = toRouteHandler(
      OPERATIONS.student.find((o) => o.method === 'GET' && o.path === '/threads/{threadId}/messages')!,
      { area: 'student' },
    );
    server = createServer((req, res) => {
      observeRequest(req, res, { slowRequestMs: 1 }, () => {
        void (async () => {
          const request = new Request(`${BASE}${req.url}`, {
            headers: Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]),
          });
          const threadId = /threads\/([^/]+)\/messages/.exec(req.url ?? '')?.[1];
          const response = threadId
            ? await listMessages(request, { params: Promise.resolve({ threadId }) })
            : toErrorResponse(new AppError('NOT_FOUND', 'no such route'));
          res.statusCode = response.status;
          res.end(await response.text());
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.dispose();
  });

  it('/api/metrics answers 401 without the token or with a wrong one, and Prometheus text with it', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('Bearer wrong-token-wrong-token-wrong')).status).toBe(401);
    const ok = await scrape(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
  });

  it('exports every metric the Grafana dashboard queries, sends counted by thread type', async () => {
    await sendMessage(api.services, { threadId: thread.id, userId: student.id, content: 'counted' });
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    for (const name of DASHBOARD_METRIC_NAMES) expect(exported, name).toContain(name);
    expect(text).toMatch(/^cm_messages_sent_total\{type="DIRECT"\} [1-9]/m);
    expect(text).toMatch(/^cm_send_duration_seconds_count\{type="DIRECT"\} [1-9]/m);
    // The pool gauges read the pool when there is one; the embedded database has none.
    expect(text).toMatch(/^cm_db_pool_in_use \d+/m);
    expect(text).toMatch(/^cm_notification_jobs_queued \d+/m);
  });

  it('a request gets an x-request-id that its log lines and its error body carry; route labels are templates', async () => {
    const cookie = await api.cookieFor(student);
    const ok = await fetch(`${url}/api/user/messages/threads/${thread.id}/messages`, {
      headers: { cookie, 'x-request-id': 'client-chosen-id-42' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBe('client-chosen-id-42');
    // slowRequestMs is 1 here: the request logged its slow warning, under its own id.
    await vi.waitFor(() =>
      expect(events('request.slow').find((l) => l.requestId === 'client-chosen-id-42')).toMatchObject({
        route: '/api/user/messages/threads/:id/messages',
        status: 200,
      }),
    );

    const denied = await fetch(`${url}/api/user/messages/threads/${thread.id}/messages`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(denied.status).toBe(401);
    const generated = denied.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await denied.json()) as { error: { code: string; requestId: string } };
    expect(body.error).toMatchObject({ code: 'UNAUTHORIZED', requestId: generated });
    expect(events('auth.failed').find((l) => l.requestId === generated)).toMatchObject({
      reason: 'no_session',
      route: '/api/user/messages/threads/:id/messages',
    });

    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(text).toContain(
      'cm_http_requests_total{method="GET",route="/api/user/messages/threads/:id/messages",status="200"}',
    );
    expect(text).not.toContain(thread.id);
    const unrouted = await fetch(`${url}/nothing/${instructor.id}`);
    expect(unrouted.status).toBe(404);
    const after = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(after).toContain('route="unmatched",status="404"');
    expect(after).not.toContain(instructor.id);
  });

  it('a refused sign-in logs auth.failed with the hashed email and the address; a 429 logs rate_limit.exceeded', async () => {
    const email = `nobody-${kind}-${Date.now()}@example.test`;
    const attempt = () =>
      authRoute.POST(
        new Request(`${BASE}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: BASE, 'x-client-ip': '203.0.113.7' },
          body: JSON.stringify({ email, password: 'wrong-password-1' }),
        }),
        undefined,
      );
    expect((await attempt()).status).toBe(401);
    const failed = events('auth.failed').find((l) => l.emailHash === hashEmail(email));
    expect(failed).toMatchObject({ reason: 'bad_credentials', ip: '203.0.113.7' });
    expect(JSON.stringify(lines)).not.toContain(email);
    // The account limit is 3 a minute here: the 4th attempt is refused before any password check.
    await attempt();
    await attempt();
    expect((await attempt()).status).toBe(429);
    expect(events('rate_limit.exceeded').at(-1)).toMatchObject({
      limit: 'signin_account',
      ip: '203.0.113.7',
    });
    expect(await (await scrape(`Bearer ${TOKEN}`)).text()).toMatch(
      /^cm_rate_limit_hits_total\{limit="signin_account"\} [1-9]/m,
    );
  });

  it('/api/ready is 200 on a current database and 503 (naming the check) when migrations are pending', async () => {
    const ready = await readyRoute.GET(new Request(`${BASE}/api/ready`), undefined);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { db: 'ok', migrations: 'ok', redis: process.env.REDIS_URL ? 'ok' : 'not_configured' },
    });

    // A database built from the first migrations only: the code expects more.
    const older = await openDatabase({ kind: 'pglite-memory' });
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-migrations-'));
    fs.cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalPath = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
    const total = journal.entries.length;
    journal.entries = journal.entries.slice(0, 2);
    fs.writeFileSync(journalPath, JSON.stringify(journal));
    await migrateDatabase(older, folder);
    expect(await pendingMigrations(older)).toBe(total - 2);
    setDatabase(older);
    try {
      const behind = await readyRoute.GET(new Request(`${BASE}/api/ready`), undefined);
      expect(behind.status).toBe(503);
      expect(await behind.json()).toMatchObject({
        status: 'not_ready',
        checks: { db: 'ok', migrations: `pending:${total - 2}` },
      });
    } finally {
      setDatabase(t);
      await older.close();
    }
  });
});

// After the databases' suites: draining is one-way for a process.
describe('a draining process', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    setDatabase(t);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('answers 503 on /api/ready, naming the reason, while /api/health (liveness) stays 200', async () => {
    expect((await readyRoute.GET(new Request(`${BASE}/api/ready`), undefined)).status).toBe(200);
    startDraining();
    const res = await readyRoute.GET(new Request(`${BASE}/api/ready`), undefined);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: 'not_ready',
      checks: { process: 'draining', db: 'ok' },
    });
    expect((await healthRoute.GET(new Request(`${BASE}/api/health`), undefined)).status).toBe(200);
  });
});
