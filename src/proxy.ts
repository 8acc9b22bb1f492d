// Passes the requested path to server components, so a signed-out visitor is sent to sign-in and
// brought back to the page they asked for (layouts can't see the URL otherwise). No auth here:
// the guards in src/auth/guards.ts decide.
import { NextResponse, type NextRequest } from 'next/server';

export const REQUEST_PATH_HEADER = 'x-request-path';

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ['/instructor/:path*', '/student/:path*'] };
