// A realtime app process for tests and benches: the app's database, auth and Socket.IO server,
// without Next. Prints `LISTENING <port>` once it serves. Spawned by spawnAppNode (realtime.ts).
// GET /__memory answers its memory use after a GC (for bench:realtime; run node with --expose-gc).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuth } from '@/auth/auth';
import { openDatabase } from '@/db/client';
import { createEventBus } from '@/messaging/events';
import { createRealtime } from '@/realtime/io';
import { listenPort, memoryRoute } from './node-process';
import { unlimited } from './realtime';

async function main() {
  const { DATABASE_URL, DATA_DIR, REDIS_URL, AUTH_SECRET } = process.env;
  const database = DATABASE_URL
    ? await openDatabase({ kind: 'postgres', url: DATABASE_URL, poolSize: 10 })
    : await openDatabase({ kind: 'pglite', dataDir: DATA_DIR ?? '.data-test' });
  const auth = createAuth({
    db: database.db,
    secret: AUTH_SECRET ?? 'x'.repeat(32),
    baseURL: 'http://localhost:3000',
  });
  const http = createServer(memoryRoute);
  const realtime = await createRealtime(http, {
    services: { db: database.db, auth, rateLimiter: unlimited, events: createEventBus() },
    redisUrl: REDIS_URL || undefined,
  });
  await new Promise<void>((resolve) => http.listen(listenPort(), '127.0.0.1', resolve));
  process.stdout.write(`LISTENING ${(http.address() as AddressInfo).port}\n`);
  process.on('SIGTERM', () => {
    void (async () => {
      await realtime.close().catch(() => undefined);
      await database.close().catch(() => undefined);
      process.exit(0);
    })();
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
