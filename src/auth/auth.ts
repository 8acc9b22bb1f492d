// better-auth, configured on our drizzle schema. Accounts are provisioned by the platform (seed,
// factories, admin), so public sign-up is off; users sign in with email and password.
import { randomBytes } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import type { Db } from '@/db/client';
import { accounts, sessions, users, verifications } from '@/db/schema';
import { env } from '@/platform/env';
import { getDb } from '@/db';
import { CLIENT_IP_HEADER } from '@/platform/client-ip';
import { logger } from '@/platform/logger';
import { readOrCreateDataFile } from '@/platform/data-file';
import { appOrigins } from '@/platform/same-origin';
import { createSessionCookieReader } from './session-cookie';
import { getSessionEvents, type SessionEvents } from './session-events';

export interface CreateAuthOptions {
  db: Db;
  secret: string;
  baseURL: string;
  /** Requests to any auth endpoint per client address per minute (sign-in has its own, stricter limit). */
  requestsPerMinute?: number;
  /** Told of every session better-auth deletes, so whoever holds it open (a socket) can let go. */
  sessionEvents?: SessionEvents;
}

export function createAuth({
  db,
  secret,
  baseURL,
  requestsPerMinute = 300,
  sessionEvents,
}: CreateAuthOptions) {
  const auth = betterAuth({
    appName: 'Classroom Messaging',
    baseURL,
    secret,
    trustedOrigins: appOrigins(baseURL),
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    user: {
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: 'STUDENT', input: false },
      },
    },
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    session: SESSION_LIFETIME,
    // Every way a session ends in better-auth (sign-out, revokeSession(s), deleting a user's
    // sessions, the cleanup of an expired one) goes through its delete, and this runs after the
    // commit: by the time anyone hears of it, a lookup of the session finds nothing.
    databaseHooks: {
      session: {
        delete: {
          after: async (session) => sessionEvents?.publish({ sessionId: session.id, userId: session.userId }),
        },
      },
    },
    // A coarse per-address limit on every endpoint; sign-in's own, keyed on address and account,
    // runs before better-auth (sign-in-limit.ts). The address is the one the custom server
    // recorded, never X-Forwarded-For as the client sent it.
    rateLimit: {
      enabled: true,
      window: 60,
      max: requestsPerMinute,
      // Replaced by ours, which also keys on the account and answers Retry-After.
      customRules: { '/sign-in/email': false },
    },
    advanced: {
      database: { generateId: () => crypto.randomUUID() },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      useSecureCookies: new URL(baseURL).protocol === 'https:',
    },
    telemetry: { enabled: false },
    // better-auth's own log lines go through pino like everything else.
    logger: {
      log: (level, message) => {
        const log = logger().child({ component: 'better-auth' });
        if (level === 'error') log.error(message);
        else if (level === 'warn') log.warn(message);
        else log.debug(message);
      },
    },
  });
  return Object.assign(auth, {
    /** The common case of getSession in one query; see session-cookie.ts. */
    readSessionCookie: createSessionCookieReader({
      db,
      secret,
      ...SESSION_LIFETIME,
      names: async () => {
        const { authCookies } = await auth.$context;
        return {
          sessionToken: authCookies.sessionToken.name,
          dontRemember: authCookies.dontRememberToken.name,
        };
      },
    }),
  });
}

/** Seven days, renewed (by better-auth's getSession) when used a day or more after the last renewal. */
const SESSION_LIFETIME = { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 };

export type Auth = ReturnType<typeof createAuth>;

/**
 * AUTH_SECRET, or a random secret kept in the data folder so sessions survive restarts in the
 * embedded mode. Several processes sharing one Postgres must be given the same AUTH_SECRET.
 */
export function resolveAuthSecret(): string {
  const { AUTH_SECRET, DATA_DIR } = env();
  return AUTH_SECRET ?? readOrCreateDataFile(DATA_DIR, 'auth-secret', () => randomBytes(32).toString('hex'));
}

const key = Symbol.for('classroom-messaging.auth');
type G = typeof globalThis & { [key]?: Promise<Auth> };

/** The process's auth instance, on the shared database. */
export function getAuth(): Promise<Auth> {
  const g = globalThis as G;
  g[key] ??= getDb().then((db) =>
    createAuth({
      db,
      secret: resolveAuthSecret(),
      baseURL: env().APP_URL,
      sessionEvents: getSessionEvents(),
    }),
  );
  return g[key];
}
