// Runs before every page and API route (Next 16's renamed middleware). It gives each HTML response a
// Content-Security-Policy with a fresh nonce, which Next reads back from the request to stamp its own
// scripts, adds HSTS when the public origin is https, and passes the requested path to server
// components so a signed-out visitor is brought back to it after sign-in (layouts can't see the URL
// otherwise). No auth here: the guards in src/auth/guards.ts decide.
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/platform/env';
import {
  apiContentSecurityPolicy,
  NONCE_HEADER,
  newNonce,
  pageContentSecurityPolicy,
  transportSecurityHeaders,
} from '@/platform/security-headers';

export const REQUEST_PATH_HEADER = 'x-request-path';

export function proxy(request: NextRequest) {
  const { APP_URL } = env();
  const { pathname, search } = request.nextUrl;
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, pathname + search);

  let csp = apiContentSecurityPolicy(pathname);
  if (pathname !== '/api' && !pathname.startsWith('/api/')) {
    const nonce = newNonce();
    csp = pageContentSecurityPolicy({ nonce, appUrl: APP_URL, dev: process.env.NODE_ENV === 'development' });
    // Next finds the nonce in the request's CSP header while rendering; x-nonce is for our own <Script>s.
    headers.set('content-security-policy', csp);
    headers.set(NONCE_HEADER, nonce);
  }

  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  for (const [name, value] of Object.entries(transportSecurityHeaders(APP_URL)))
    response.headers.set(name, value);
  return response;
}

// Everything but the build's static files, which carry no HTML (next.config.ts still gives them nosniff).
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
