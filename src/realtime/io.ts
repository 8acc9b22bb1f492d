// The Socket.IO server on the app's http server. Namespace /messages is the guide's; its handlers
// (join-thread, send-message, typing) arrive with the realtime work and call src/messaging/.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { createRedis } from '@/platform/redis';

export interface RealtimeOptions {
  /** With a Redis URL, several app processes share rooms through the Redis adapter. */
  redisUrl?: string;
}

export interface Realtime {
  io: Server;
  adapter: 'memory' | 'redis';
  close(): Promise<void>;
}

export function createRealtime(httpServer: HttpServer, opts: RealtimeOptions = {}): Realtime {
  const io = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    // Other upgrade requests (Next's dev HMR) are left to their own handler.
    destroyUpgrade: false,
  });
  const clients: Redis[] = [];
  if (opts.redisUrl) {
    const pub = createRedis(opts.redisUrl, 'io-pub');
    const sub = pub.duplicate();
    clients.push(pub, sub);
    io.adapter(createAdapter(pub, sub));
  }
  io.of('/messages');
  return {
    io,
    adapter: opts.redisUrl ? 'redis' : 'memory',
    close: async () => {
      await io.close();
      await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    },
  };
}
