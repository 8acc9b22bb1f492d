// better-auth's endpoints (/api/auth/sign-in/email, /api/auth/sign-out, /api/auth/get-session, …).
// Sign-in is limited per address and per account first; every error is rewritten into the app's
// one error shape, every 429 carries Retry-After, and the session token stays in its HttpOnly
// cookie rather than in a body that page scripts can read.
import { enforceSignInLimit } from '@/auth/sign-in-limit';
import { requestIp } from '@/platform/client-ip';
import { env } from '@/platform/env';
import { errorBody } from '@/platform/errors';
import { route } from '@/platform/http';
import { authFailed, rateLimitExceeded } from '@/platform/ops-events';
import { getAppServices } from '@/server/services';

const MESSAGES: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: 'The email or password is incorrect.',
  RATE_LIMITED: 'Too many attempts. Wait a minute and try again.',
  NOT_FOUND: 'There is no such authentication endpoint.',
};

function codeFor(status: number, code: string | undefined): string {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 404) return 'NOT_FOUND';
  if (code === 'VALIDATION_ERROR') return 'VALIDATION_FAILED';
  return code ?? (status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST');
}

const isSignIn = (req: Request) =>
  req.method === 'POST' && new URL(req.url).pathname.endsWith('/sign-in/email');

async function emailOf(req: Request): Promise<string | undefined> {
  const body = (await req
    .clone()
    .json()
    .catch(() => undefined)) as { email?: unknown } | undefined;
  return typeof body?.email === 'string' ? body.email : undefined;
}

const handle = route(async (req: Request) => {
  const services = await getAppServices();
  // Read before better-auth consumes the body: the limit keys on it, and a refusal logs its hash.
  const email = isSignIn(req) ? await emailOf(req) : undefined;
  if (isSignIn(req)) {
    const { SIGNIN_RATE_LIMIT_PER_MINUTE, SIGNIN_ACCOUNT_RATE_LIMIT_PER_MINUTE } = env();
    await enforceSignInLimit(
      services.rateLimiter,
      {
        perAddressPerMinute: SIGNIN_RATE_LIMIT_PER_MINUTE,
        perAccountPerMinute: SIGNIN_ACCOUNT_RATE_LIMIT_PER_MINUTE,
      },
      { ip: requestIp(req.headers), email },
    );
  }
  const res = await services.auth.handler(req);
  if (res.status < 400) return isSignIn(req) ? withoutToken(res) : res;
  const isJson = res.headers.get('content-type')?.includes('application/json');
  const body = isJson ? ((await res.json().catch(() => ({}))) as { code?: string; message?: string }) : {};
  const code = codeFor(res.status, body.code);
  if (isSignIn(req) && (res.status === 401 || res.status === 403))
    authFailed({ reason: 'bad_credentials', ip: requestIp(req.headers), email });
  else if (res.status === 429) rateLimitExceeded({ limit: 'auth', ip: requestIp(req.headers) });
  const message = MESSAGES[code] ?? body.message ?? 'The request could not be completed.';
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.delete('content-type');
  const retryAfter = headers.get('x-retry-after');
  if (res.status === 429 && retryAfter && !headers.has('retry-after')) headers.set('retry-after', retryAfter);
  return Response.json(errorBody(code, message), { status: res.status, headers });
});

/** The session lives in its HttpOnly cookie; the JSON answer keeps only what the page uses. */
async function withoutToken(res: Response): Promise<Response> {
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!body || !('token' in body)) return res;
  const { token: _token, ...rest } = body;
  void _token;
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return Response.json(rest, { status: res.status, headers });
}

export { handle as GET, handle as POST };
