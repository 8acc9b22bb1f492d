// Calls the real Next route handlers (the route.ts modules) with real Requests, on a test database
// with real better-auth sessions. The services the handlers use are installed with setAppServices.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuth, type Auth } from '@/auth/auth';
import type { TFileLimits } from '@/files/context';
import { createLocalStore } from '@/files/local-store';
import type { FileStore } from '@/files/storage';
import { createSessionEvents } from '@/auth/session-events';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '@/db/client';
import { sessions } from '@/db/schema';
import { createEventBus, type EventBus, type MessagingEvent } from '@/messaging/events';
import { createMemoryRateLimiter, type RateLimiter } from '@/platform/rate-limit';
import { setAppServices, type AppServices } from '@/server/services';
import { DEFAULT_PASSWORD } from '../factories';

export const BASE = 'http://localhost:3000';
/** The secret test sessions are signed with; child app nodes are given it so they accept the cookies. */
export const TEST_AUTH_SECRET = 'x'.repeat(32);
/** A VAPID public key for routes that only hand it out (tests that send pushes make their own pair). */
export const TEST_VAPID_PUBLIC_KEY =
  'BIBinieO4GGK3XjiuxRLIdL-ICAxQnz-2BWEDm4ifKVyVg3Qh-CTOzJ2LoUfTBhxmWddC9PM6rEH32cLA02Ylm4';

export interface TestApi {
  services: AppServices;
  /** Every event published, in order. */
  events: MessagingEvent[];
  /** A cookie header for a user created by the factories (signs in once, then cached). */
  cookieFor(user: { email: string }): Promise<string>;
}

export function installTestServices(
  db: Db,
  opts: {
    rateLimiter?: RateLimiter;
    bus?: EventBus;
    store?: FileStore;
    fileLimits?: TFileLimits;
    pushPublicKey?: string;
  } = {},
): TestApi {
  const sessionEvents = createSessionEvents();
  const auth: Auth = createAuth({
    db,
    secret: TEST_AUTH_SECRET,
    baseURL: BASE,
    requestsPerMinute: 10_000,
    sessionEvents,
  });
  const events: MessagingEvent[] = [];
  const bus = opts.bus ?? createEventBus();
  bus.subscribe((e) => void events.push(e));
  const services: AppServices = {
    db,
    auth,
    rateLimiter: opts.rateLimiter ?? createMemoryRateLimiter(),
    events: bus,
    sessionEvents,
    store: opts.store ?? createLocalStore(fs.mkdtempSync(path.join(os.tmpdir(), 'cm-test-uploads-'))),
    fileLimits: opts.fileLimits ?? { maxBytes: 25 * 1024 * 1024, quotaBytes: 1024 * 1024 * 1024 },
    notifications: { pushPublicKey: opts.pushPublicKey ?? TEST_VAPID_PUBLIC_KEY, secret: TEST_AUTH_SECRET },
  };
  setAppServices(services);
  const cookies = new Map<string, Promise<string>>();
  return {
    services,
    events,
    cookieFor(user) {
      let c = cookies.get(user.email);
      if (!c) {
        c = signIn(auth, user.email);
        cookies.set(user.email, c);
      }
      return c;
    },
  };
}

/**
 * Session cookies for many users at once, without a password check each (scrypt makes 2,000
 * sign-ins take minutes): one session row per user, in one statement, and the cookie better-auth
 * sets for it (the token, signed with HMAC-SHA256 under TEST_AUTH_SECRET). better-auth verifies
 * them on use exactly as it does its own. For benches that need thousands of signed-in users.
 */
export async function mintSessionCookies(db: Db, userIds: string[]): Promise<Map<string, string>> {
  const rows = userIds.map((userId) => ({
    id: randomUUID(),
    token: randomBytes(24).toString('base64url'),
    userId,
    expiresAt: new Date(Date.now() + 7 * 24 * 3600_000),
  }));
  for (let i = 0; i < rows.length; i += 1000) await db.insert(sessions).values(rows.slice(i, i + 1000));
  const out = new Map<string, string>();
  for (const row of rows) {
    const signature = createHmac('sha256', TEST_AUTH_SECRET).update(row.token).digest('base64');
    out.set(row.userId, `better-auth.session_token=${encodeURIComponent(`${row.token}.${signature}`)}`);
  }
  return out;
}

/** Signs in through better-auth's handler: a new session each time, as its cookie header. */
export async function signIn(auth: Auth, email: string): Promise<string> {
  const res = await auth.handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: BASE },
      body: JSON.stringify({ email, password: DEFAULT_PASSWORD }),
    }),
  );
  if (res.status !== 200) throw new Error(`sign-in failed for ${email}: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CallOptions {
  cookie?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is (for malformed bodies). */
  body?: unknown;
  method?: string;
}

// Response bodies are untyped JSON here; tests parse them with the API's zod schemas where shape matters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Invokes a route handler as Next would, and reads the JSON answer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = any>(
  handler: Handler,
  path: string,
  opts: CallOptions = {},
): Promise<CallResult<T>> {
  const url = new URL(path, BASE);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers();
  if (opts.cookie) headers.set('cookie', opts.cookie);
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  const res = await handler(
    new Request(url, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body }),
    {
      params: Promise.resolve(opts.params ?? {}),
    },
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
