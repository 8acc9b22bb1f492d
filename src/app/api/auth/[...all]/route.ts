// better-auth's endpoints (/api/auth/sign-in/email, /api/auth/sign-out, /api/auth/get-session, …).
// Every error it answers is rewritten into the app's one error shape.
import { getAuth } from '@/auth/auth';
import { errorBody } from '@/platform/errors';
import { route } from '@/platform/http';

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

const handle = route(async (req: Request) => {
  const auth = await getAuth();
  const res = await auth.handler(req);
  if (res.status < 400) return res;
  const isJson = res.headers.get('content-type')?.includes('application/json');
  const body = isJson ? ((await res.json().catch(() => ({}))) as { code?: string; message?: string }) : {};
  const code = codeFor(res.status, body.code);
  const message = MESSAGES[code] ?? body.message ?? 'The request could not be completed.';
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.delete('content-type');
  return Response.json(errorBody(code, message), { status: res.status, headers });
});

export { handle as GET, handle as POST };
