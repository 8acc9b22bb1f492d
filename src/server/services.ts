// The process's services, built once from the environment: database, auth, rate limiter (with the
// send limit rule) and the messaging event bus. Route handlers take them from here and pass them
// into the domain; server.ts reaches the same instances (the realtime layer subscribes to the bus)
// through globalThis, because Next bundles route handlers separately from server.ts.
import type { Auth } from '@/auth/auth';
import { getAuth, resolveAuthSecret } from '@/auth/auth';
import { getSessionEvents, type SessionEvents } from '@/auth/session-events';
import { getDb } from '@/db';
import type { FilesContext } from '@/files/context';
import { createEventBus, type EventBus } from '@/messaging/events';
import { sendRatePerMinute } from '@/messaging/send-message';
import { env } from '@/platform/env';
import { createRateLimiter, type RateLimiter } from '@/platform/rate-limit';
import { createFileStore, fileLimitsOf } from './file-store';
import { resolveVapidKeys } from './notifications';

/** The domain's context, with what the edges need besides: sessions, and buses to subscribe to. */
export interface AppServices extends FilesContext {
  auth: Auth;
  rateLimiter: RateLimiter;
  events: EventBus;
  /** Where `auth` announces ended sessions (the same channel getAuth's instance publishes on). */
  sessionEvents: SessionEvents;
  /** What the notification routes need: the VAPID public key browsers subscribe with, and the key of unsubscribe links. */
  notifications: { pushPublicKey: string; secret: string };
}

const key = Symbol.for('classroom-messaging.services');
type G = typeof globalThis & { [key]?: Promise<AppServices> };

export function getAppServices(): Promise<AppServices> {
  const g = globalThis as G;
  g[key] ??= (async () => ({
    db: await getDb(),
    auth: await getAuth(),
    rateLimiter: createRateLimiter({ redisUrl: env().REDIS_URL }),
    sendRateLimit: sendRatePerMinute(env().MESSAGE_RATE_LIMIT_PER_MINUTE),
    events: createEventBus(),
    sessionEvents: getSessionEvents(),
    store: createFileStore(env()),
    fileLimits: fileLimitsOf(env()),
    notifications: { pushPublicKey: resolveVapidKeys(env()).publicKey, secret: resolveAuthSecret() },
  }))();
  return g[key];
}

/** Installs services built elsewhere (tests, or server.ts wiring its own). */
export function setAppServices(services: AppServices): void {
  (globalThis as G)[key] = Promise.resolve(services);
}
