// Page guards for server components: redirect to sign-in, or a real 403 via forbidden().
import 'server-only';
import { cache } from 'react';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { getAuth } from './auth';
import { canEnter, getSessionUser, type Area, type SessionUser } from './session';

/** The signed-in user of this request; looked up once per request however many components ask. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  // headers() first: during `next build` it marks the page dynamic before anything opens the database.
  const requestHeaders = await headers();
  return getSessionUser(await getAuth(), requestHeaders);
});

/**
 * The signed-in user of a page in `area`. Signed out: redirect to sign-in, returning to the requested
 * page (from the proxy's header) or else to `fallbackReturnTo`. Wrong role: a 403 page.
 */
export async function requirePageUser(area: Area, fallbackReturnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) {
    const requested = (await headers()).get('x-request-path');
    const returnTo = requested?.startsWith('/') && !requested.startsWith('//') ? requested : fallbackReturnTo;
    redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  }
  if (!canEnter(user, area)) forbidden();
  return user;
}
