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
import { logger } from '@/platform/logger';
import { observeSendStage } from '@/platform/metrics';
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

/**
 * `sessionHolds` looks the socket's session up afresh. It runs before every event, not only on a
 * timer: a sign-out on another process may not have closed this socket yet, and a write must not
 * slip through in between.
 */
export function registerHandlers(
  socket: AppSocket,
  ctx: MessagingContext,
  typing: TypingTracker,
  sessionHolds: () => Promise<boolean>,
): void {
  const user = socket.data.user;
  let tokens = BUCKET.burst;
  let refilledAt = Date.now();
  const allow = () => {
    const now = Date.now();
    tokens = Math.min(BUCKET.burst, tokens + ((now - refilledAt) / 1000) * BUCKET.perSecond);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  function on<E extends keyof ClientToServerEvents, I, T>(
    event: E,
    schema: ZodType<I>,
    run: (input: I, receivedAt: number) => Promise<T> | T,
  ) {
    const listener = async (payload: unknown, ack?: unknown) => {
      const receivedAt = performance.now();
      // emit(event, ack) without a payload
      if (typeof payload === 'function' && ack === undefined) [payload, ack] = [undefined, payload];
      const respond = typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : () => undefined;
      if (!allow()) {
        respond({
          error: { code: 'RATE_LIMITED', message: 'Too many events; slow down.', retryAfterMs: 1000 },
        });
        return;
      }
      try {
        if (!(await sessionHolds())) {
          respond({ error: SESSION_ENDED });
          socket.disconnect(true);
          return;
        }
        respond({ data: await run(parseInput(schema, payload), receivedAt) });
      } catch (err) {
        respond({ error: toAckError(err, event) });
      }
    };
    socket.on(event, listener as never);
  }

  // A start may be dropped under load (volatile: skipped for a socket whose transport is busy, and
  // repeated while the user types); a stop is not, or an indicator would linger until it expires.
  const broadcastTyping = (threadId: string, isTyping: boolean) =>
    (isTyping ? socket.volatile : socket)
      .to(threadRoom(threadId))
      .except(userRoom(user.id))
      .emit('user-typing', typingPayload(threadId, user, isTyping));

  /** The socket has joined the thread (access checked then), or access is checked now. */
  const ensureAccess = async (threadId: string) => {
    if (!socket.rooms.has(threadRoom(threadId)))
      await verifyMessageAccess(ctx.db, { userId: user.id, threadId });
  };

  on('join-thread', ZThreadRefPayload, async ({ threadId }) => {
    await verifyMessageAccess(ctx.db, { userId: user.id, threadId });
    await socket.join(threadRoom(threadId));
    return { threadId };
  });

  on('leave-thread', ZThreadRefPayload, async ({ threadId }) => {
    if (typing.stop({ threadId, userId: user.id })) broadcastTyping(threadId, false);
    await socket.leave(threadRoom(threadId));
    return { threadId };
  });

  on('send-message', ZSendPayload, async (input, receivedAt) => {
    observeSendStage('receive', (performance.now() - receivedAt) / 1000);
    const { message, created } = await sendMessage(ctx, {
      threadId: input.threadId,
      userId: user.id,
      content: input.content,
      clientMessageId: input.clientMessageId,
      attachmentIds: input.attachmentIds,
    });
    if (typing.stop({ threadId: input.threadId, userId: user.id })) broadcastTyping(input.threadId, false);
    return { message, created };
  });

  on('typing-start', ZThreadRefPayload, async ({ threadId }) => {
    await ensureAccess(threadId);
    const broadcast = typing.start({ threadId, userId: user.id, socketId: socket.id }, () =>
      broadcastTyping(threadId, false),
    );
    if (broadcast) broadcastTyping(threadId, true);
    return { broadcast };
  });

  on('typing-stop', ZThreadRefPayload, async ({ threadId }) => {
    await ensureAccess(threadId);
    const broadcast = typing.stop({ threadId, userId: user.id });
    if (broadcast) broadcastTyping(threadId, false);
    return { broadcast };
  });

  on('mark-read', ZMarkReadPayload, ({ threadId, messageId }) =>
    markThreadRead(ctx, {
      userId: user.id,
      threadId,
      input: messageId ? { upToMessageId: messageId } : {},
    }),
  );

  socket.on('disconnect', () => {
    for (const { threadId } of typing.dropSocket(socket.id)) broadcastTyping(threadId, false);
  });
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
