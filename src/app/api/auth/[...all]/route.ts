// better-auth's endpoints (/api/auth/sign-in/email, /api/auth/sign-out, /api/auth/get-session, …).
// Its error bodies are rewritten into the app's one error shape.
import { getAuth } from '@/auth/auth';
import { errorBody } from '@/platform/errors';
import { route } from '@/platform/http';

const handle = route(async (req: Request) => {
  const auth = await getAuth();
  const res = await auth.handler(req);
  if (res.status < 400 || !res.headers.get('content-type')?.includes('application/json')) return res;
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  const code = res.status === 429 ? 'RATE_LIMITED' : (body.code ?? 'AUTH_ERROR');
  const message =
    res.status === 401 && code === 'INVALID_EMAIL_OR_PASSWORD'
      ? 'The email or password is incorrect.'
      : res.status === 429
        ? 'Too many sign-in attempts. Wait a minute and try again.'
        : (body.message ?? 'The request could not be completed.');
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return Response.json(errorBody(code, message), { status: res.status, headers });
});

export { handle as GET, handle as POST };
