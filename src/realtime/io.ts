// The Socket.IO server on the app's http server: namespace /messages, authenticated in the
// handshake, one room per user and per open thread. Durable events (new-message, message-updated,
// message-deleted) flow from the change feed through the dispatcher, in position order; volatile
// ones (typing, read receipts, thread-updated) go straight through the adapter. With REDIS_URL the
// Redis adapter carries both between processes; without it everything stays in memory.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Auth } from '@/auth/auth';
import type { Db } from '@/db/client';
import { messagingContext } from '@/messaging/context';
import { countUnreadTotals } from '@/messaging/count-unread';
import type { EventBus, MessageChangeEvent, MessagingEvent } from '@/messaging/events';
import { threadSummariesForParticipants } from '@/messaging/list-threads';
import { feedIdentity, readMessageLog, type TMessageChange } from '@/messaging/message-log';
import { logger } from '@/platform/logger';
import { metrics } from '@/platform/metrics';
import type { RateLimitRule, RateLimiter } from '@/platform/rate-limit';
import { createRedis } from '@/platform/redis';
import { authenticateHandshake, originAllowed } from './auth';
import {
  DURABLE_EVENT,
  NAMESPACE,
  SOCKET_PATH,
  threadRoom,
  toWire,
  userRoom,
  type ClientToServerEvents,
  type HandshakeAuth,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
  type WireLogEntry,
} from './contract';
import { createDispatcher } from './dispatcher';
import { registerHandlers, type AppSocket } from './handlers';
import { createTypingTracker } from './typing';

export interface RealtimeServices {
  db: Db;
  auth: Auth;
  rateLimiter: RateLimiter;
  /** The send limit rule; absent: the default 30 a minute. */
  sendRateLimit?: RateLimitRule;
  events: EventBus;
}

export interface RealtimeOptions {
  services: RealtimeServices;
  /** With a Redis URL, several app processes share rooms and the change feed through Redis. */
  redisUrl?: string;
  /** Browser origins allowed besides the request's own host (the app's public URL). */
  allowedOrigins?: string[];
  /** How long thread-updated waits to fold a burst of changes into one summary per user. */
  threadUpdateDelayMs?: number;
}

export interface Realtime {
  io: Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
  adapter: 'memory' | 'redis';
  close(): Promise<void>;
}

const CHANGE_KIND = {
  'message.created': 'created',
  'message.updated': 'updated',
  'message.deleted': 'deleted',
} as const satisfies Record<MessageChangeEvent['type'], TMessageChange>;

/** Sockets still catching up from the database: live durable events skip them until they are done. */
const SYNCING = 'syncing';
const REPLAY_BATCH = 500;

export async function createRealtime(httpServer: HttpServer, opts: RealtimeOptions): Promise<Realtime> {
  const { services } = opts;
  const log = logger().child({ component: 'realtime' });
  const allowed = opts.allowedOrigins ?? [];
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(
    httpServer,
    {
      path: SOCKET_PATH,
      serveClient: false,
      // Other upgrade requests (Next's dev HMR) are left to their own handler.
      destroyUpgrade: false,
      allowRequest: (req, callback) => callback(null, originAllowed(req, allowed)),
    },
  );
  const clients: Redis[] = [];
  const redis = !!opts.redisUrl;
  if (opts.redisUrl) {
    const pub = createRedis(opts.redisUrl, 'io-pub');
    const sub = pub.duplicate();
    clients.push(pub, sub);
    // One channel per database: processes of another deployment on the same Redis are not peers,
    // and their positions must never reach this feed's dispatchers.
    const key = `socket.io:${await feedIdentity(services.db)}`;
    io.adapter(createAdapter(pub, sub, { key }));
  }
  const nsp = io.of(NAMESPACE);
  const ctx = messagingContext(services);
  const typing = createTypingTracker();
  const m = metrics();

  const dispatcher = createDispatcher({
    db: services.db,
    deliver(entry) {
      const rooms = [threadRoom(entry.threadId), ...entry.participantIds.map(userRoom)];
      nsp.local.to(rooms).except(SYNCING).emit(DURABLE_EVENT[entry.kind], {
        position: entry.position,
        threadId: entry.threadId,
        message: entry.message,
      });
    },
  });
  await dispatcher.start();
  if (redis) nsp.on('log-entry', (entry: WireLogEntry) => dispatcher.offer(entry));

  // thread-updated: a burst of changes to one thread becomes one summary per participant. One
  // worker computes them, one query at a time, so under load updates get coarser instead of
  // competing with sends for the database.
  const updateDelay = opts.threadUpdateDelayMs ?? 150;
  const dirty = new Map<string, Set<string> | 'all'>();
  let worker: Promise<void> | undefined;
  let closed = false;
  function scheduleThreadUpdate(threadId: string, users: string[] | 'all') {
    const existing = dirty.get(threadId);
    if (users === 'all' || existing === 'all') dirty.set(threadId, 'all');
    else dirty.set(threadId, new Set([...(existing ?? []), ...users]));
    worker ??= runThreadUpdates().finally(() => (worker = undefined));
  }
  async function runThreadUpdates() {
    let pause = updateDelay;
    while (dirty.size > 0 && !closed) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      const started = Date.now();
      for (const [threadId, users] of [...dirty]) {
        dirty.delete(threadId);
        if (!closed) await sendThreadUpdates(threadId, users);
      }
      // Busy: rest twice as long as the round took, so summaries never take over the database.
      pause = Math.max(updateDelay, 2 * (Date.now() - started));
    }
  }
  async function sendThreadUpdates(threadId: string, users: Set<string> | 'all') {
    try {
      const summaries = await threadSummariesForParticipants(services.db, threadId);
      for (const { userId, summary } of summaries) {
        if (users !== 'all' && !users.has(userId)) continue;
        nsp
          .to(userRoom(userId))
          .emit('thread-updated', { threadId, thread: toWire(summary), unread: await unreadTotals(userId) });
      }
    } catch (err) {
      log.warn({ err, threadId }, 'thread-updated could not be computed');
    }
  }

  // Stand-in for the realtime side of thread-updated's unread totals, so that this branch builds and
  // its UI can be measured; the realtime rework brings its own, which replaces this on merge.
  async function unreadTotals(userId: string) {
    const [inbox, all] = await Promise.all([
      countUnreadTotals(services.db, { userId }),
      countUnreadTotals(services.db, { userId, includeMutedAndArchived: true }),
    ]);
    return { inbox, all };
  }

  function onDomainEvent(event: MessagingEvent) {
    switch (event.type) {
      case 'message.created':
      case 'message.updated':
      case 'message.deleted': {
        const entry: WireLogEntry = {
          position: event.position,
          kind: CHANGE_KIND[event.type],
          threadId: event.threadId,
          participantIds: event.participantIds,
          message: toWire(event.message),
        };
        dispatcher.offer(entry);
        if (redis) nsp.serverSideEmit('log-entry', entry);
        scheduleThreadUpdate(event.threadId, 'all');
        return;
      }
      case 'thread.created':
        scheduleThreadUpdate(event.threadId, 'all');
        return;
      case 'thread.updated':
        scheduleThreadUpdate(event.threadId, event.participantIds);
        return;
      case 'read.updated': {
        const others = event.participantIds.filter((id) => id !== event.userId).map(userRoom);
        if (others.length) {
          nsp.to(others).emit('read-receipt', {
            threadId: event.threadId,
            userId: event.userId,
            lastReadSeq: event.lastReadSeq,
            lastReadMessageId: event.lastReadMessageId,
            readAt: event.readAt.toISOString(),
          });
        }
        // The reader's other tabs and devices: their unread badge.
        scheduleThreadUpdate(event.threadId, [event.userId]);
        return;
      }
      case 'membership.changed':
        if (!event.joined) {
          // Access ends at once: out of the thread's room on every process, and told so.
          nsp.in(userRoom(event.userId)).socketsLeave(threadRoom(event.threadId));
          void unreadTotals(event.userId)
            .then((unread) =>
              nsp
                .to(userRoom(event.userId))
                .emit('thread-updated', { threadId: event.threadId, thread: null, unread }),
            )
            .catch((err: unknown) =>
              log.warn({ err, threadId: event.threadId }, 'unread totals could not be read'),
            );
        } else {
          scheduleThreadUpdate(event.threadId, [event.userId]);
        }
        return;
    }
  }
  const unsubscribe = services.events.subscribe(onDomainEvent);

  nsp.use(async (socket, next) => {
    const user = await authenticateHandshake(services.auth, socket.request);
    if (user instanceof Error) return next(user);
    socket.data.user = user;
    next();
  });

  nsp.on('connection', (socket: AppSocket) => {
    m.realtimeConnections.inc();
    socket.on('disconnect', () => m.realtimeConnections.dec());
    void socket.join([SYNCING, userRoom(socket.data.user.id)]);
    registerHandlers(socket, ctx, typing);
    void synchronize(socket, requestedPosition(socket.handshake.auth)).catch((err: unknown) => {
      log.error({ err, userId: socket.data.user.id }, 'resume failed; disconnecting so the client retries');
      socket.disconnect(true);
    });
  });

  /**
   * Brings a new connection up to the dispatcher's frontier from the database, then lets live
   * events through. JavaScript runs this loop's last check and the room change in one turn, so no
   * delivery can slip between the replay and the live stream.
   */
  async function synchronize(socket: AppSocket, requested: number | undefined) {
    let position = dispatcher.frontier;
    let replayed = 0;
    if (requested !== undefined) {
      // A client that saw a later position on another process: catch up to it first. A position
      // beyond anything committed (another database, a forged value) is clamped.
      position = Math.min(requested, await dispatcher.reach(requested));
      for (;;) {
        const frontier = dispatcher.frontier;
        while (position < frontier) {
          if (!socket.connected) return;
          const rows = await readMessageLog(services.db, {
            userId: socket.data.user.id,
            after: position,
            upTo: frontier,
            limit: REPLAY_BATCH,
          });
          for (const row of rows) {
            socket.emit(DURABLE_EVENT[row.kind], {
              position: row.position,
              threadId: row.threadId,
              message: toWire(row.message),
            });
          }
          replayed += rows.length;
          position = rows.length < REPLAY_BATCH ? frontier : rows.at(-1)!.position;
        }
        if (dispatcher.frontier === frontier) break;
      }
      m.realtimeReplayed.inc(replayed);
    }
    if (!socket.connected) return;
    void socket.leave(SYNCING);
    socket.emit('sync', { position, replayed, resumed: requested !== undefined });
  }

  return {
    io,
    adapter: redis ? 'redis' : 'memory',
    close: async () => {
      unsubscribe();
      dispatcher.stop();
      typing.clear();
      closed = true;
      dirty.clear();
      await worker;
      await io.close();
      await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    },
  };
}

function requestedPosition(auth: unknown): number | undefined {
  const position = (auth as HandshakeAuth | undefined)?.position;
  return typeof position === 'number' && Number.isSafeInteger(position) && position >= 0
    ? position
    : undefined;
}
