// "This session has ended": what auth announces when better-auth deletes a session (sign-out,
// revocation, an expired session cleaned up). The realtime layer subscribes and closes that
// session's sockets; auth knows nothing of sockets.
import { logger } from '@/platform/logger';

export interface SessionEnded {
  sessionId: string;
  userId: string;
}

export type SessionEndedListener = (event: SessionEnded) => void;

export interface SessionEvents {
  publish(event: SessionEnded): void;
  /** Returns an unsubscribe function. */
  subscribe(listener: SessionEndedListener): () => void;
}

/** In-process. A failing listener is logged: the session is already gone, sign-out must still answer. */
export function createSessionEvents(): SessionEvents {
  const listeners = new Set<SessionEndedListener>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (err) {
          logger().error({ err, sessionId: event.sessionId }, 'session-ended listener failed');
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const key = Symbol.for('classroom-messaging.session-events');
type G = typeof globalThis & { [key]?: SessionEvents };

/**
 * The process's one channel, kept on globalThis like getAuth's instance: Next bundles the auth
 * route apart from server.ts, and a sign-out there must reach the sockets server.ts holds.
 */
export function getSessionEvents(): SessionEvents {
  const g = globalThis as G;
  g[key] ??= createSessionEvents();
  return g[key];
}
