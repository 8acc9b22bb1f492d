// Who is calling: the signed-in user behind a request's session cookie, and role checks.
import { AREA_ROLES, ROLES, type Area, type Role } from '@/messaging/limits';
import { AppError } from '@/platform/errors';
import type { Auth } from './auth';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export async function getSessionUser(auth: Auth, headers: Headers): Promise<SessionUser | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const { id, name, email } = session.user;
  const role = (session.user as { role?: string }).role;
  return {
    id,
    name,
    email,
    role: (ROLES as readonly string[]).includes(role ?? '') ? (role as Role) : 'STUDENT',
  };
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
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in to continue.');
  if (area && !canEnter(user, area)) {
    throw new AppError('FORBIDDEN', 'Your account does not have access to this area.');
  }
  return user;
}
