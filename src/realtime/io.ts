// The Socket.IO server on the app's http server: namespace /messages, composed of the connections
// (handshake, rooms, handlers: connection.ts), the fan-out of domain events (fan-out.ts, with the
// dispatcher), the thread-updated worker (thread-updates.ts) and the resume of each new connection
// (resume.ts). With REDIS_URL the Redis adapter carries events between processes; without it
// everything stays in memory.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Auth } from '@/auth/auth';
import type { SessionEvents } from '@/auth/session-events';
import type { MessagingContext } from '@/messaging/context';
import type { EventBus } from '@/messaging/events';
import { createMessageFeed, type MessageFeed } from '@/messaging/message-feed';
import { createRedis } from '@/platform/redis';
import { handshakeError, originAllowed } from './auth';
import { acceptConnections } from './connection';
import {
  NAMESPACE,
  SOCKET_PATH,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
  userRoom,
} from './contract';
import { startFanOut } from './fan-out';
import { createResume } from './resume';
import { createThreadUpdates } from './thread-updates';

type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface RealtimeOptions {
  /** The app's services: what the domain runs on, the session checker, and the buses to listen to. */
  services: MessagingContext & { auth: Auth; events: EventBus; sessionEvents: SessionEvents };
  /** With a Redis URL, several app processes share rooms and the change feed through Redis. */
  redisUrl?: string;
  /** Browser origins allowed besides the request's own host (the app's public URL). */
  allowedOrigins?: string[];
  /** How long thread-updated waits to fold a burst of changes into one summary per user. */
  threadUpdateDelayMs?: number;
  /** The thread-updated recipients per second its rounds are paced to (default 400). */
  threadUpdateEmitsPerSecond?: number;
  /** How often open sockets' sessions are looked up again (default 60 s; tests shorten it). */
  sessionRecheckMs?: number;
}

export interface Realtime {
  io: AppServer;
  adapter: 'memory' | 'redis';
  /** Which of these users have an open socket, on this process or (with Redis) any other. */
  connectedUsers(userIds: string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

export async function createRealtime(httpServer: HttpServer, opts: RealtimeOptions): Promise<Realtime> {
  const { services } = opts;
  const allowed = opts.allowedOrigins ?? [];
  const io: AppServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // Other upgrade requests (Next's dev HMR) are left to their own handler.
    destroyUpgrade: false,
    allowRequest: (req, callback) => callback(null, originAllowed(req, allowed)),
  });
  const feed = createMessageFeed(services);
  const redisClients = opts.redisUrl ? await attachRedisAdapter(io, opts.redisUrl, feed) : [];
  // Only the messaging namespace serves anyone. The default one has no handlers, and would otherwise
  // keep a socket open for anybody, signed in or not.
  io.of('/').use((_socket, next) =>
    next(handshakeError('NOT_FOUND', `Connect to the ${NAMESPACE} namespace.`)),
  );
  const nsp = io.of(NAMESPACE);
  const ctx = services;
  const threadUpdates = createThreadUpdates({
    nsp,
    ctx,
    delayMs: opts.threadUpdateDelayMs,
    emitsPerSecond: opts.threadUpdateEmitsPerSecond,
    redis: !!opts.redisUrl,
  });
  const fanOut = await startFanOut({
    nsp,
    feed,
    events: services.events,
    threadUpdates,
    redis: !!opts.redisUrl,
  });
  const connections = acceptConnections(nsp, {
    auth: services.auth,
    ctx,
    sessionEvents: services.sessionEvents,
    sessionRecheckMs: opts.sessionRecheckMs,
    resume: createResume({ feed, dispatcher: fanOut.dispatcher }),
  });

  return {
    io,
    adapter: opts.redisUrl ? 'redis' : 'memory',
    connectedUsers: async (userIds) => {
      if (!userIds.length) return new Set();
      const sockets = await nsp.in(userIds.map(userRoom)).fetchSockets();
      return new Set(sockets.map((s) => s.data.user.id));
    },
    close: async () => {
      await fanOut.close();
      connections.close();
      await threadUpdates.close();
      await io.close();
      await Promise.all(redisClients.map((c) => c.quit().catch(() => undefined)));
    },
  };
}

/** Installs the Redis adapter and returns its clients, for close() to quit. */
async function attachRedisAdapter(io: AppServer, redisUrl: string, feed: MessageFeed): Promise<Redis[]> {
  const pub = createRedis(redisUrl, 'io-pub');
  const sub = pub.duplicate();
  // One channel per database: processes of another deployment on the same Redis are not peers,
  // and their positions must never reach this feed's dispatchers.
  const key = `socket.io:${await feed.identity()}`;
  io.adapter(createAdapter(pub, sub, { key }));
  return [pub, sub];
}
