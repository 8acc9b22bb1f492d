// A socket lives no longer than the session it was opened with. A session that auth announces as
// ended (sign-out, revocation) closes its room, which the Redis adapter carries to every process;
// a periodic check closes what nobody announced (expiry, a row deleted by hand, a process that
// missed the news); and every client event looks the session up first, so a write is refused
// even before the news arrives.
import { liveSessionIds } from '@/auth/session';
import type { SessionEvents } from '@/auth/session-events';
import type { MessagingContext } from '@/messaging/context';
import { createBatcher } from '@/platform/batcher';
import { logger } from '@/platform/logger';
import { sessionRoom } from './contract';
import type { AppNamespace, AppSocket } from './handlers';

/** How often this process re-checks the sessions of its sockets, by default. */
export const SESSION_RECHECK_MS = 60_000;

export interface SessionGuardOptions {
  db: MessagingContext['db'];
  sessionEvents: SessionEvents;
  recheckMs?: number;
}

export interface SessionGuard {
  /** Whether the socket's session is still live. Never cached: it gates writes (looked up in batches). */
  holds(socket: AppSocket): Promise<boolean>;
  close(): void;
}

export function guardSessions(nsp: AppNamespace, opts: SessionGuardOptions): SessionGuard {
  const recheckMs = opts.recheckMs ?? SESSION_RECHECK_MS;
  const log = logger().child({ component: 'realtime-sessions' });

  const unsubscribe = opts.sessionEvents.subscribe(({ sessionId }) => {
    // Not nsp.local: with Redis the adapter asks every process to close its sockets of the session.
    nsp.in(sessionRoom(sessionId)).disconnectSockets(true);
  });

  /** One lookup per batch of this process's sessions, however many sockets each has. */
  async function sweep() {
    const bySession = new Map<string, AppSocket[]>();
    for (const socket of nsp.sockets.values()) {
      const list = bySession.get(socket.data.sessionId);
      if (list) list.push(socket);
      else bySession.set(socket.data.sessionId, [socket]);
    }
    if (bySession.size === 0) return;
    const live = await liveSessionIds(opts.db, [...bySession.keys()]);
    for (const [sessionId, sockets] of bySession) {
      if (!live.has(sessionId)) for (const socket of sockets) socket.disconnect(true);
    }
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      sweep()
        .catch((err: unknown) => log.warn({ err }, 'checking socket sessions failed; will retry'))
        .finally(() => {
          if (!stopped) schedule();
        });
    }, recheckMs);
    timer.unref();
  };
  schedule();

  // Every event's lookup, shared with the events that arrive at the same time: one query for all.
  const lookups = createBatcher<string, boolean>({
    name: 'session_check',
    maxInFlight: 2,
    maxBatch: 200,
    async run(ids) {
      const live = await liveSessionIds(opts.db, [...new Set(ids)]);
      return ids.map((id) => live.has(id));
    },
  });

  return {
    holds(socket) {
      return lookups.run(socket.data.sessionId);
    },
    close() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
}
