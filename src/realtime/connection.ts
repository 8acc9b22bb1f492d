// Who may connect and what a connection gets: the session checked once in the handshake (io.use),
// the user kept in typed socket.data, a room of the user's own so every tab and device hears their
// events, the client event handlers, and then the resume that catches the connection up.
import type { Namespace } from 'socket.io';
import type { Auth } from '@/auth/auth';
import type { MessagingContext } from '@/messaging/context';
import { metrics } from '@/platform/metrics';
import { authenticateHandshake } from './auth';
import {
  userRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from './contract';
import { registerHandlers, type AppSocket } from './handlers';
import { createTypingTracker } from './typing';

export type AppNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export interface ConnectionOptions {
  auth: Auth;
  ctx: MessagingContext;
  /** Runs last, once the socket has its rooms and handlers: brings it up to date. */
  resume(socket: AppSocket): void;
}

export function acceptConnections(nsp: AppNamespace, opts: ConnectionOptions): { close(): void } {
  const typing = createTypingTracker();
  const m = metrics();

  nsp.use(async (socket, next) => {
    const user = await authenticateHandshake(opts.auth, socket.request);
    if (user instanceof Error) return next(user);
    socket.data.user = user;
    next();
  });

  nsp.on('connection', (socket: AppSocket) => {
    m.realtimeConnections.inc();
    socket.on('disconnect', () => m.realtimeConnections.dec());
    void socket.join(userRoom(socket.data.user.id));
    registerHandlers(socket, opts.ctx, typing);
    opts.resume(socket);
  });

  return { close: () => typing.clear() };
}
