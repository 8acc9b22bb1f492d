// Who is calling: the signed-in user behind a request's session cookie, role checks, and whether
// sessions are still live (for connections that outlast the request that opened them).
import { and, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { sessions } from '@/db/schema';
import { AREA_ROLES, ROLES, type Area, type Role } from '@/messaging/limits';
import { requestIp } from '@/platform/client-ip';
import { AppError } from '@/platform/errors';
import { authFailed } from '@/platform/ops-events';
import type { Auth } from './auth';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface SignedIn {
  user: SessionUser;
  /** The session's id: a name for it that is not its secret token. */
  sessionId: string;
}

/** The user and session behind a request's cookie, or null when it has none that is live. */
export async function getSignedIn(auth: Auth, headers: Headers): Promise<SignedIn | null> {
  // One query for a live session that needs nothing done; better-auth for everything else.
  const quick = await auth.readSessionCookie(headers);
  const found = quick === 'ask' ? await auth.api.getSession({ headers }) : quick;
  if (!found) return null;
  const { id, name, email } = found.user;
  const role = (found.user as { role?: string | null }).role;
  return {
    user: {
      id,
      name,
      email,
      role: (ROLES as readonly string[]).includes(role ?? '') ? (role as Role) : 'STUDENT',
    },
    sessionId: 'sessionId' in found ? found.sessionId : found.session.id,
  };
}

export async function getSessionUser(auth: Auth, headers: Headers): Promise<SessionUser | null> {
  return (await getSignedIn(auth, headers))?.user ?? null;
}

/** Bounds one lookup's IN list; a process's sockets are checked in batches of this many sessions. */
const LIVE_BATCH = 500;

/**
 * Which of these sessions still exist and have not expired: the same two conditions better-auth's
 * getSession checks, by primary key, without the cookie, the user row or a refresh (a socket that
 * asks must not keep its session alive by asking).
 */
export async function liveSessionIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const live = new Set<string>();
  for (let i = 0; i < ids.length; i += LIVE_BATCH) {
    const rows = await db
      .select({ id: sessions.id })
      .from(sessions)
      // The ids as one JSON parameter: one statement shape (prepared once) for any number of them.
      .where(
        and(
          inArray(
            sessions.id,
            sql`(select jsonb_array_elements_text(${JSON.stringify(ids.slice(i, i + LIVE_BATCH))}::jsonb))`,
          ),
          gt(sessions.expiresAt, new Date()),
        ),
      );
    for (const row of rows) live.add(row.id);
  }
  return live;
}

export { AREA_ROLES, isInstructorRole, type Area } from '@/messaging/limits';

export function canEnter(user: SessionUser, area: Area): boolean {
  return (AREA_ROLES[area] as readonly Role[]).includes(user.role);
}

/** The home page of a user's role. */
export function homeFor(user: SessionUser): string {
  return canEnter(user, 'instructor') ? '/instructor/dashboard' : '/student';
}

/** For API handlers: 401 without a session, 403 for the wrong role. */
export async function requireApiUser(auth: Auth, headers: Headers, area?: Area): Promise<SessionUser> {
  const user = await getSessionUser(auth, headers);
  if (!user) {
    authFailed({ reason: 'no_session', ip: requestIp(headers) });
    throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
  }
  if (area && !canEnter(user, area)) {
    authFailed({ reason: 'wrong_role', ip: requestIp(headers), userId: user.id });
    throw new AppError('FORBIDDEN', 'Your account does not have access to this area.');
  }
  return user;
}
