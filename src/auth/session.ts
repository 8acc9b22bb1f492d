// Who is calling: the signed-in user behind a request's session cookie, and role checks.
import type { Role } from '@/db/schema';
import { AppError } from '@/platform/errors';
import type { Auth } from './auth';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

const ROLES: readonly Role[] = ['INSTRUCTOR', 'STUDENT', 'ADMIN'];

export async function getSessionUser(auth: Auth, headers: Headers): Promise<SessionUser | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const { id, name, email } = session.user;
  const role = (session.user as { role?: string }).role;
  return { id, name, email, role: ROLES.includes(role as Role) ? (role as Role) : 'STUDENT' };
}

/** Which roles may enter each area. ADMIN may act as an instructor. */
export const AREA_ROLES = {
  instructor: ['INSTRUCTOR', 'ADMIN'],
  student: ['STUDENT'],
} as const satisfies Record<string, readonly Role[]>;

export type Area = keyof typeof AREA_ROLES;

/** Roles that teach: they enter the instructor area and message as instructors. */
export function isInstructorRole(role: Role): boolean {
  return (AREA_ROLES.instructor as readonly Role[]).includes(role);
}

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
