// The common case of "who is calling", answered in one indexed query: a request whose signed
// session cookie names a live session that needs nothing done to it. better-auth's getSession
// answers the same question through its endpoint machinery and two queries (session, then user),
// which cost 3–4 times as much (bench:session).
// Anything else goes to better-auth, which stays the one place sessions are refreshed, expired
// and deleted: an expired session (it deletes it, and the delete hook tells open sockets), one due
// for its daily refresh, a "don't remember me" session, a cookie that does not verify, a cookie
// given twice. What this answers is exactly what getSession would answer for the same request.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { sessions, users } from '@/db/schema';

export interface SessionCookieOptions {
  db: Db;
  secret: string;
  /** better-auth's session lifetime and refresh age, in seconds (its session.expiresIn / updateAge). */
  expiresIn: number;
  updateAge: number;
  /** The cookies' names as better-auth sets them (with __Secure- on https). */
  names(): Promise<{ sessionToken: string; dontRemember: string }>;
}

export interface CookieSession {
  sessionId: string;
  user: { id: string; name: string; email: string; role: string | null };
}

/** null: no session cookie at all (not signed in); 'ask': let better-auth decide. */
export type CookieLookup = CookieSession | null | 'ask';

export function createSessionCookieReader(opts: SessionCookieOptions) {
  return async function readSessionCookie(headers: Headers): Promise<CookieLookup> {
    const names = await opts.names();
    const cookies = cookieValues(headers.get('cookie') ?? '');
    const sent = cookies.get(names.sessionToken) ?? [];
    if (sent.length === 0) return null;
    if (sent.length > 1 || cookies.has(names.dontRemember)) return 'ask';
    const token = verifiedToken(sent[0]!, opts.secret);
    if (!token) return 'ask';

    const [row] = await opts.db
      .select({
        sessionId: sessions.id,
        expiresAt: sessions.expiresAt,
        id: users.id,
        name: users.name,
        email: users.email,
        role: users.role,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.token, token))
      .limit(1);
    if (!row) return 'ask';
    const expiresAt = row.expiresAt.getTime();
    const now = Date.now();
    // Expired, or due for better-auth's refresh (the same test as its getSession).
    if (expiresAt < now || expiresAt - opts.expiresIn * 1000 + opts.updateAge * 1000 <= now) return 'ask';
    return {
      sessionId: row.sessionId,
      user: { id: row.id, name: row.name, email: row.email, role: row.role },
    };
  };
}

/** Every value given for each cookie name, URL-decoded (better-auth URL-encodes what it signs). */
function cookieValues(header: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // left as sent; it will not verify
    }
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  }
  return out;
}

/** `token.signature` with signature = base64(HMAC-SHA256(secret, token)), as better-call signs. */
function verifiedToken(value: string, secret: string): string | null {
  const dot = value.lastIndexOf('.');
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const signature = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(createHmac('sha256', secret).update(token).digest('base64'));
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
  return token;
}
