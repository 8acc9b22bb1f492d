// Page guards for server components: redirect to sign-in, or a real 403 via forbidden().
import 'server-only';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { getAuth } from './auth';
import { canEnter, getSessionUser, type Area, type SessionUser } from './session';

export async function currentUser(): Promise<SessionUser | null> {
  return getSessionUser(await getAuth(), await headers());
}

export async function requirePageUser(area: Area, returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  if (!canEnter(user, area)) forbidden();
  return user;
}
