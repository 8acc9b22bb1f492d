// A realtime app process for tests and benches: the app's database, auth and Socket.IO server,
// without Next. Prints `LISTENING <port>` once it serves. Spawned by spawnAppNode (realtime.ts).
// /api/auth/* is better-auth's own handler (a sign-out here must reach the sockets of every node);
// GET /__memory answers its memory use after a GC (for bench:realtime; run node with --expose-gc);
// GET /__stages answers the send-stage histogram (cm_send_stage_seconds) as prom-client's JSON, so
// bench:realtime can say where a send's time went;
// GET /__pauses answers the event loop's delay and the GC pauses since the last call (and starts
// over), so bench:realtime can tell a stalled process from a slow send path;
// POST /__change edits or deletes a message through this process's domain and event bus, as its
// REST routes would (the tests' edits and deletes on a chosen process; no auth: tests only).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { toNodeHandler } from 'better-auth/node';
import { createAuth } from '@/auth/auth';
import { createSessionEvents } from '@/auth/session-events';
import { openDatabase } from '@/db/client';
import { deleteMessage } from '@/messaging/delete-message';
import { editMessage } from '@/messaging/edit-message';
import { createEventBus } from '@/messaging/events';
import type { MessagingContext } from '@/messaging/context';
import { AppError } from '@/platform/errors';
import { metrics } from '@/platform/metrics';
import { createRealtime } from '@/realtime/io';
import { gracefulShutdown } from '@/server/shutdown';
import { listenPort, memoryRoute } from './node-process';
import { unlimited } from './realtime';

async function main() {
  const { DATABASE_URL, DATA_DIR, REDIS_URL, AUTH_SECRET, SESSION_RECHECK_MS } = process.env;
  const database = DATABASE_URL
    ? await openDatabase({ kind: 'postgres', url: DATABASE_URL, poolSize: 10 })
    : await openDatabase({ kind: 'pglite', dataDir: DATA_DIR ?? '.data-test' });
  const sessionEvents = createSessionEvents();
  const auth = createAuth({
    db: database.db,
    secret: AUTH_SECRET ?? 'x'.repeat(32),
    baseURL: 'http://localhost:3000',
    sessionEvents,
  });
  const authRoute = toNodeHandler(auth);
  const events = createEventBus();
  const ctx: MessagingContext = { db: database.db, events };
  const http = createServer((req, res) => {
    if (req.url?.startsWith('/api/auth/')) void authRoute(req, res);
    else if (req.method === 'POST' && req.url === '/__change') void changeRoute(ctx, req, res);
    else if (req.method === 'GET' && req.url === '/__stages') void stagesRoute(res);
    else if (req.method === 'GET' && req.url === '/__pauses') pausesRoute(res);
    else memoryRoute(req, res);
  });
  const realtime = await createRealtime(http, {
    services: { db: database.db, auth, rateLimiter: unlimited, events, sessionEvents },
    redisUrl: REDIS_URL || undefined,
    sessionRecheckMs: SESSION_RECHECK_MS ? Number(SESSION_RECHECK_MS) : undefined,
  });
  await new Promise<void>((resolve) => http.listen(listenPort(), '127.0.0.1', resolve));
  process.stdout.write(`LISTENING ${(http.address() as AddressInfo).port}\n`);
  // The app's own graceful shutdown (server.ts runs the same), so the tests exercise it.
  const shutdown = gracefulShutdown({
    httpServer: http,
    closeRealtime: () => realtime.close(),
    closers: [() => database.close()],
  });
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const gcPauses: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
}).observe({ entryTypes: ['gc'] });

function pausesRoute(res: ServerResponse) {
  const ms = (ns: number) => ns / 1e6;
  const body = {
    loopP99Ms: ms(loopDelay.percentile(99)),
    loopMaxMs: ms(loopDelay.max),
    gcCount: gcPauses.length,
    gcTotalMs: gcPauses.reduce((a, b) => a + b, 0),
    gcMaxMs: Math.max(0, ...gcPauses),
    heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
  };
  loopDelay.reset();
  gcPauses.length = 0;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

async function stagesRoute(res: ServerResponse) {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(await metrics().sendStageSeconds.get()));
}

/** The body: `{ kind: 'edit' | 'delete', userId, messageId, content? }`; answers the message view. */
async function changeRoute(ctx: MessagingContext, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    kind: 'edit' | 'delete';
    userId: string;
    messageId: string;
    content?: string;
  };
  res.setHeader('content-type', 'application/json');
  try {
    const message =
      body.kind === 'edit'
        ? await editMessage(ctx, {
            userId: body.userId,
            messageId: body.messageId,
            input: { content: body.content ?? '' },
          })
        : await deleteMessage(ctx, { userId: body.userId, messageId: body.messageId });
    res.end(JSON.stringify({ data: message }));
  } catch (err) {
    res.statusCode = err instanceof AppError ? err.status : 500;
    res.end(JSON.stringify({ error: { code: err instanceof AppError ? err.code : 'INTERNAL' } }));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
