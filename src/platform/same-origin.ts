// Cookie-authenticated writes must come from the app's own pages. SameSite=Lax alone lets any page
// on a sibling subdomain (same site, other origin) post a form as the signed-in user; checking
// Origin (or Sec-Fetch-Site) and insisting on JSON closes that, for every route at once.
import { AppError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The origins the app's pages are served from: APP_URL's, and on a loopback APP_URL the other
 * loopback names on the same port (a developer may open http://127.0.0.1:3000 as well).
 */
export function appOrigins(appUrl: string): string[] {
  const url = new URL(appUrl);
  if (!LOOPBACK.includes(url.hostname)) return [url.origin];
  const port = url.port ? `:${url.port}` : '';
  return LOOPBACK.map((host) => `${url.protocol}//${host}${port}`);
}

/**
 * Refuses a state-changing request from another origin (403 INVALID_ORIGIN) or in another format
 * than JSON (415). Requests without Origin and Sec-Fetch-Site come from programs, not browsers,
 * and cannot ride a user's cookie without the user's own action.
 */
export function assertSameOriginWrite(
  req: Request,
  allowedOrigins: readonly string[],
  /** 'multipart': a file upload, which must be multipart/form-data instead of JSON. */
  body: 'json' | 'multipart' = 'json',
): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  const origin = req.headers.get('origin');
  const site = req.headers.get('sec-fetch-site');
  const foreign =
    origin !== null ? !allowedOrigins.includes(origin) : site !== null && site !== 'same-origin';
  if (foreign) {
    throw new AppError('INVALID_ORIGIN', 'This request must come from the app’s own pages.', { status: 403 });
  }
  const type = req.headers.get('content-type');
  if (body === 'multipart') return; // the upload's parser insists on multipart itself
  if (type !== null && !/^application\/json\s*(;|$)/i.test(type.trim())) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the request body as JSON (Content-Type: application/json).',
      {
        status: 415,
      },
    );
  }
}
