// Process entry: one http server for Next's request handler and Socket.IO. No logic lives here.
import { createServer } from 'node:http';
import next from 'next';
import { env } from './src/platform/env';
import { parseTrustProxy } from './src/platform/client-ip';
import { logger } from './src/platform/logger';
import { appOrigins } from './src/platform/same-origin';
import { recordClientIp } from './src/server/client-address';
import { prepareDatabase } from './src/server/boot';
import { startAnalyticsJob } from './src/server/analytics-job';
import { startFeedPruning } from './src/server/feed-pruning';
import { startUploadExpiry } from './src/server/upload-expiry';
import { notificationsContextFromEnv, startNotifications } from './src/server/notifications';
import { resolveAuthSecret } from './src/auth/auth';
import { startScheduledSend } from './src/server/scheduled-send';
import { createRealtime } from './src/realtime/io';
import { getAppServices } from './src/server/services';
import { exitOnFatal } from './src/server/cli';
import { observeRequest } from './src/server/http-observer';
import { gracefulShutdown } from './src/server/shutdown';
import { serveFileTransfer } from './src/app/api/_files/node-transfer';
import {
  answerClientError,
  answerMalformedRequest,
  refuseMalformedUpgrade,
} from './src/server/request-guard';

async function main() {
  const config = env();
  const dev = config.NODE_ENV !== 'production';
  const database = await prepareDatabase({ seed: config.SEED_ON_START === 'true' });

  const app = next({ dev, hostname: 'localhost', port: config.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();
  const upgrade = app.getUpgradeHandler();

  const trustProxy = parseTrustProxy(config.TRUST_PROXY);
  // Malformed URLs and unknown methods get a JSON 4xx here; Next would answer them with a 500.
  const observe = { slowRequestMs: config.SLOW_REQUEST_MS };
  const httpServer = createServer((req, res) => {
    recordClientIp(req, trustProxy);
    observeRequest(req, res, observe, () => {
      if (answerMalformedRequest(req, res, config.APP_URL)) return;
      // Uploads and downloads move as Node streams, around Next's Web-stream copies (same handlers).
      if (!serveFileTransfer(req, res, config.APP_URL)) void handle(req, res);
    });
  });
  // Idle keep-alive connections stay open longer than clients and proxies keep theirs (nginx 75 s,
  // most HTTP clients and load balancers 60 s). At Node's default of 5 s the server could close a
  // connection just as a client reused it, and that request failed with ECONNRESET (seen in CI).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  httpServer.on('clientError', (err, socket) => answerClientError(err, socket, config.APP_URL));
  // The same services (and event bus) as the route handlers: REST sends reach sockets too.
  const realtime = await createRealtime(httpServer, {
    services: await getAppServices(),
    redisUrl: config.REDIS_URL,
    allowedOrigins: appOrigins(config.APP_URL),
  });
  httpServer.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/socket.io') || refuseMalformedUpgrade(req, socket, config.APP_URL)) return;
    void upgrade(req, socket, head);
  });

  await new Promise<void>((resolve) => httpServer.listen(config.PORT, config.HOST, resolve));
  const pruning = startFeedPruning({ db: database.db, retentionDays: config.FEED_RETENTION_DAYS });
  const expiry = startUploadExpiry(await getAppServices());
  const analytics = startAnalyticsJob({ db: database.db });
  const notifications = startNotifications(
    notificationsContextFromEnv(config, {
      db: database.db,
      secret: resolveAuthSecret(),
      presence: { connectedUsers: realtime.connectedUsers },
    }),
    { events: (await getAppServices()).events },
  );
  const scheduled = startScheduledSend(await getAppServices(), { everyMs: config.SCHEDULED_SEND_POLL_MS });
  logger().info(
    {
      port: config.PORT,
      mode: dev ? 'development' : 'production',
      db: database.kind,
      realtime: realtime.adapter,
    },
    `Classroom Messaging ready at ${config.APP_URL}`,
  );

  const shutdown = gracefulShutdown({
    httpServer,
    closeRealtime: () => realtime.close(),
    closers: [
      () => notifications.stop(),
      () => pruning.stop(),
      () => expiry.stop(),
      () => analytics.stop(),
      () => scheduled.stop(),
      () => app.close(),
      () => database.close(),
    ],
  });
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch(exitOnFatal);
