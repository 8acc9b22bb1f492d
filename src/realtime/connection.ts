// Who may connect and what a connection gets: the session checked in the handshake (io.use) and
// then for as long as the socket lives (sessions.ts), the user and session kept in typed
// socket.data, a room of the user's own so every tab and device hears their events, one of the
// session's so its end reaches each of its sockets, the client event handlers, and then the
// resume that catches the connection up.
import type { Auth } from '@/auth/auth';
import type { SessionEvents } from '@/auth/session-events';
import type { MessagingContext } from '@/messaging/context';
import { metrics } from '@/platform/metrics';
import { authenticateHandshake } from './auth';
import { sessionRoom, userRoom } from './contract';
import { createHandlers, type AppNamespace, type AppSocket } from './handlers';
import { guardSessions } from './sessions';
import { createTypingTracker } from './typing';

export interface ConnectionOptions {
  auth: Auth;
  ctx: MessagingContext;
  /** Where auth announces ended sessions: their sockets are closed. */
  sessionEvents: SessionEvents;
  /** How often open sockets' sessions are looked up again (expiry, unannounced ends). */
  sessionRecheckMs?: number;
  /** Runs last, once the socket has its rooms and handlers: brings it up to date. */
  resume(socket: AppSocket): void;
}

export function acceptConnections(nsp: AppNamespace, opts: ConnectionOptions): { close(): void } {
  const typing = createTypingTracker();
  const sessions = guardSessions(nsp, {
    db: opts.ctx.db,
    sessionEvents: opts.sessionEvents,
    recheckMs: opts.sessionRecheckMs,
  });
  const m = metrics();
  const attachHandlers = createHandlers({
    ctx: opts.ctx,
    typing,
    sessionHolds: (socket) => sessions.holds(socket),
  });
  const disconnected = () => m.realtimeConnections.dec();

  nsp.use(async (socket, next) => {
    const signedIn = await authenticateHandshake(opts.auth, socket.request);
    if (signedIn instanceof Error) return next(signedIn);
    socket.data.user = signedIn.user;
    socket.data.sessionId = signedIn.sessionId;
    next();
  });

  nsp.on('connection', (socket: AppSocket) => {
    m.realtimeConnections.inc();
    socket.on('disconnect', disconnected);
    void socket.join([userRoom(socket.data.user.id), sessionRoom(socket.data.sessionId)]);
    attachHandlers(socket);
    opts.resume(socket);
  });

  return {
    close: () => {
      sessions.close();
      typing.clear();
    },
  };
}
