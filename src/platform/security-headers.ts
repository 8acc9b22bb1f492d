// The browser-facing security headers in one place. next.config.ts stamps the fixed ones on every
// response, the proxy adds the per-request Content-Security-Policy and HSTS, and server.ts's early
// answers (malformed URLs, unsupported methods) carry the same set.
import { randomBytes } from 'node:crypto';

/** Headers that never depend on the request or the deployment. */
export const FIXED_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // Old browsers ignore frame-ancestors; both say "never in a frame".
  'X-Frame-Options': 'DENY',
};

export const HSTS = 'max-age=63072000; includeSubDomains';

/** API responses are data for the app itself, never for a shared cache or the back button. */
export const API_CACHE_CONTROL = 'no-store';

/** JSON never runs anything or loads anything; nothing may frame it. */
export const API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The unsubscribe link's page (an API route that answers HTML): its one form posts to itself. */
export const UNSUBSCRIBE_PATH = '/api/notifications/unsubscribe';
export const UNSUBSCRIBE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * A user's file, opened directly, is a document of its own: `sandbox` gives it a unique origin with
 * no scripts, so even markup that slipped past the checks could not act as the app.
 */
export const ATTACHMENT_CSP =
  "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; frame-ancestors 'none'";

/** Private to the signed-in user's browser, and revalidated (the ETag makes that a 304) so access is re-checked. */
export const ATTACHMENT_CACHE_CONTROL = 'private, no-cache';

/** Paths that serve users' files: the proxy and next.config leave their own headers in place. */
export const ATTACHMENT_PATH_PREFIX = '/api/attachments/';

const isHttps = (appUrl: string) => new URL(appUrl).protocol === 'https:';

/**
 * The CSP of an API answer at `pathname`, under Next (src/proxy.ts) and on the custom server's file
 * path alike: a user's file is sandboxed, the unsubscribe page has its own, the rest renders nothing.
 */
export function apiContentSecurityPolicy(pathname: string): string {
  if (pathname.startsWith(ATTACHMENT_PATH_PREFIX)) return ATTACHMENT_CSP;
  if (pathname === UNSUBSCRIBE_PATH) return UNSUBSCRIBE_CSP;
  return API_CSP;
}

/**
 * HSTS only when the public origin is https: sent over plain http a browser ignores it, and pinning
 * https on a host that is served over http (localhost in the embedded mode) would lock users out.
 */
export function transportSecurityHeaders(appUrl: string): Record<string, string> {
  return isHttps(appUrl) ? { 'Strict-Transport-Security': HSTS } : {};
}

/** The request header that carries a page's script nonce from src/proxy.ts to server components. */
export const NONCE_HEADER = 'x-nonce';

/** A fresh, unguessable nonce for one response's scripts and styles. */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export interface PageCspOptions {
  nonce: string;
  /** The public origin: the Socket.IO client connects back to it over ws(s). */
  appUrl: string;
  /** `npm run dev`: React's dev build evaluates code and Next injects styles for hot reload. */
  dev: boolean;
}

/**
 * The CSP of an HTML page. Next reads the nonce from this header on the request and stamps it on its
 * own scripts; 'strict-dynamic' then trusts the chunks those scripts load, and nothing else runs.
 */
export function pageContentSecurityPolicy({ nonce, appUrl, dev }: PageCspOptions): string {
  const app = new URL(appUrl);
  const https = app.protocol === 'https:';
  const socketOrigin = `${https ? 'wss' : 'ws'}://${app.host}`;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Tailwind's output is a stylesheet file; Next stamps the nonce on any <style> it writes. Dev mode's
    // hot reload injects styles without one.
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // The notification service worker (/sw.js); without this, 'strict-dynamic' would refuse it.
    "worker-src 'self'",
    // 'self' covers same-origin ws(s) in CSP 3 only; naming the socket's origin keeps older engines working.
    `connect-src 'self' ${app.origin} ${socketOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}
