// The client events of one socket. Each checks that the socket's session is still live, validates
// its payload, calls the messaging domain (a handler never writes to the database itself) and
// answers through its acknowledgement with `{ data }` or `{ error: { code, message } }`, the same
// codes the REST API uses.
import type { Namespace, Socket } from 'socket.io';
import type { ZodType } from 'zod';
import type { MessagingContext } from '@/messaging/context';
import { markThreadRead } from '@/messaging/mark-read';
import { sendMessage } from '@/messaging/send-message';
import { verifyMessageAccess } from '@/messaging/verify-message-access';
import { AppError, parseInput } from '@/platform/errors';
import { isDraining, trackWork } from '@/platform/lifecycle';
import { logger } from '@/platform/logger';
import { observeSendStage } from '@/platform/metrics';
import { rateLimitExceeded } from '@/platform/ops-events';
import {
  threadRoom,
  userRoom,
  type Ack,
  type AckError,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from './contract';
import { ZMarkReadPayload, ZSendPayload, ZThreadRefPayload } from './payloads';
import { typingPayload, type TypingTracker } from './typing';

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** Per socket: a burst of 40 events, refilled at 20 a second. Sends also meet the domain's 30/min. */
const BUCKET = { burst: 40, perSecond: 20 };

const SESSION_ENDED: AckError = {
  code: 'UNAUTHORIZED',
  message: 'Your session has ended. Sign in again.',
};

/** The socket's event budget, kept on the socket itself (no per-socket closure holds it). */
const buckets = new WeakMap<AppSocket, { tokens: number; refilledAt: number }>();

function allow(socket: AppSocket): boolean {
  const now = Date.now();
  let bucket = buckets.get(socket);
  if (!bucket) buckets.set(socket, (bucket = { tokens: BUCKET.burst, refilledAt: now }));
  bucket.tokens = Math.min(
    BUCKET.burst,
    bucket.tokens + ((now - bucket.refilledAt) / 1000) * BUCKET.perSecond,
  );
  bucket.refilledAt = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

export interface HandlerDeps {
  ctx: MessagingContext;
  typing: TypingTracker;
  /**
   * Looks the socket's session up afresh. It runs before every event, not only on a timer: a
   * sign-out on another process may not have closed this socket yet, and a write must not slip
   * through in between.
   */
  sessionHolds(socket: AppSocket): Promise<boolean>;
}

/** `live`: the socket's session check, when the event runs alongside it (see `on`). */
type Run<I, T> = (socket: AppSocket, input: I, receivedAt: number, live: Promise<boolean>) => Promise<T> | T;

/**
 * The client event handlers, made once per namespace: each is one function shared by every socket
 * (Socket.IO calls a listener with the socket as `this`), so an idle socket holds no closures of
 * its own. `attach` registers them on a new socket.
 */
export function createHandlers({ ctx, typing, sessionHolds }: HandlerDeps): (socket: AppSocket) => void {
  const listeners: Array<[keyof ClientToServerEvents, (...args: unknown[]) => void]> = [];

  /**
   * Registers a handler. By default the session is checked before it runs. With `alongside`, the
   * check runs while the handler does its own reads, and the handler must not write before `live`
   * says yes (a send passes it to the domain as its caller check): one database round trip less in
   * the event's path. Either way, a session found ended answers UNAUTHORIZED, whatever the handler
   * came to, and closes the socket.
   */
  function on<E extends keyof ClientToServerEvents, I, T>(
    event: E,
    schema: ZodType<I>,
    run: Run<I, T>,
    { alongside = false }: { alongside?: boolean } = {},
  ) {
    function listener(this: AppSocket, payload: unknown, ack?: unknown) {
      // Counted as in flight: a graceful shutdown waits for it before it closes the sockets.
      void trackWork(() => handle(this, payload, ack));
    }
    async function handle(socket: AppSocket, payload: unknown, ack?: unknown) {
      const receivedAt = performance.now();
      // emit(event, ack) without a payload
      if (typeof payload === 'function' && ack === undefined) [payload, ack] = [undefined, payload];
      const respond = typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : () => undefined;
      // Shutting down: nothing new starts here; the client keeps the send queued and resends it
      // (same key) once it has reconnected to another process.
      if (isDraining()) {
        respond({
          error: { code: 'UNAVAILABLE', message: 'This server is restarting; retrying.', retryAfterMs: 500 },
        });
        return;
      }
      if (!allow(socket)) {
        rateLimitExceeded({ limit: 'socket_events', userId: socket.data.user.id, route: `socket:${event}` });
        respond({
          error: { code: 'RATE_LIMITED', message: 'Too many events; slow down.', retryAfterMs: 1000 },
        });
        return;
      }
      const ended = () => {
        respond({ error: SESSION_ENDED });
        socket.disconnect(true);
      };
      try {
        const live = sessionHolds(socket);
        live.catch(() => undefined); // awaited below; a failure answers as any other error does
        if (!alongside && !(await live)) return ended();
        let outcome: Ack<T>;
        try {
          outcome = { data: await run(socket, parseInput(schema, payload), receivedAt, live) };
        } catch (err) {
          if (!(await live)) return ended();
          throw err;
        }
        if (!(await live)) return ended();
        respond(outcome);
      } catch (err) {
        respond({ error: toAckError(err, event) });
      }
    }
    listeners.push([event, listener as (...args: unknown[]) => void]);
  }

  // A start may be dropped under load (volatile: skipped for a socket whose transport is busy, and
  // repeated while the user types); a stop is not, or an indicator would linger until it expires.
  const broadcastTyping = (socket: AppSocket, threadId: string, isTyping: boolean) =>
    (isTyping ? socket.volatile : socket)
      .to(threadRoom(threadId))
      .except(userRoom(socket.data.user.id))
      .emit('user-typing', typingPayload(threadId, socket.data.user, isTyping));

  /** The socket has joined the thread (access checked then), or access is checked now. */
  const ensureAccess = async (socket: AppSocket, threadId: string) => {
    if (!socket.rooms.has(threadRoom(threadId)))
      await verifyMessageAccess(ctx.db, { userId: socket.data.user.id, threadId });
  };

  on('join-thread', ZThreadRefPayload, async (socket, { threadId }) => {
    await verifyMessageAccess(ctx.db, { userId: socket.data.user.id, threadId });
    await socket.join(threadRoom(threadId));
    return { threadId };
  });

  on('leave-thread', ZThreadRefPayload, async (socket, { threadId }) => {
    if (typing.stop({ threadId, userId: socket.data.user.id })) broadcastTyping(socket, threadId, false);
    await socket.leave(threadRoom(threadId));
    return { threadId };
  });

  on(
    'send-message',
    ZSendPayload,
    async (socket, input, receivedAt, live) => {
      observeSendStage('receive', (performance.now() - receivedAt) / 1000);
      const userId = socket.data.user.id;
      const callerCheck = live.then((ok) => {
        if (!ok) throw new AppError('UNAUTHORIZED', SESSION_ENDED.message);
      });
      callerCheck.catch(() => undefined); // the send awaits it, unless its input fails first
      const { message, created } = await sendMessage(ctx, {
        callerCheck,
        threadId: input.threadId,
        userId,
        content: input.content,
        clientMessageId: input.clientMessageId,
        attachmentIds: input.attachmentIds,
        replyToId: input.replyToId,
        mentionIds: input.mentionIds,
      });
      if (typing.stop({ threadId: input.threadId, userId })) broadcastTyping(socket, input.threadId, false);
      return { message, created };
    },
    { alongside: true },
  );

  on('typing-start', ZThreadRefPayload, async (socket, { threadId }) => {
    await ensureAccess(socket, threadId);
    const broadcast = typing.start({ threadId, userId: socket.data.user.id, socketId: socket.id }, () =>
      broadcastTyping(socket, threadId, false),
    );
    if (broadcast) broadcastTyping(socket, threadId, true);
    return { broadcast };
  });

  on('typing-stop', ZThreadRefPayload, async (socket, { threadId }) => {
    await ensureAccess(socket, threadId);
    const broadcast = typing.stop({ threadId, userId: socket.data.user.id });
    if (broadcast) broadcastTyping(socket, threadId, false);
    return { broadcast };
  });

  on('mark-read', ZMarkReadPayload, (socket, { threadId, messageId }) =>
    markThreadRead(ctx, {
      userId: socket.data.user.id,
      threadId,
      input: messageId ? { upToMessageId: messageId } : {},
    }),
  );

  function onDisconnect(this: AppSocket) {
    for (const { threadId } of typing.dropSocket(this.id)) broadcastTyping(this, threadId, false);
  }

  return (socket) => {
    for (const [event, listener] of listeners) socket.on(event, listener as never);
    socket.on('disconnect', onDisconnect);
  };
}

export function toAckError(err: unknown, event: string): AckError {
  if (err instanceof AppError) {
    const retryAfter = err.headers?.['Retry-After'];
    return {
      code: String(err.code),
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
      ...(retryAfter ? { retryAfterMs: Number(retryAfter) * 1000 } : {}),
    };
  }
  logger().error({ err, event }, 'socket event failed');
  return { code: 'INTERNAL', message: 'Something went wrong on our side. Try again.' };
}
