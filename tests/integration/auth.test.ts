// Sign-in through better-auth's real handler on a real database, and the role guards of the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from '@/auth/auth';
import { canEnter, getSessionUser, homeFor, requireApiUser } from '@/auth/session';
import { createUser, DEFAULT_PASSWORD } from '../factories';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

const BASE = 'http://localhost:3000';

function signIn(auth: Auth, email: string, password: string) {
  return auth.handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: BASE },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function cookieFrom(res: Response): string {
  const setCookie = res.headers.getSetCookie();
  return setCookie.map((c) => c.split(';')[0]).join('; ');
}

describe.each(dbKinds())('auth on %s', (kind) => {
  let t: TestDatabase;
  let auth: Auth;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    auth = createAuth({ db: t.db, secret: 'x'.repeat(32), baseURL: BASE, requestsPerMinute: 1000 });
  });
  afterAll(async () => t?.dispose());

  it('signs in with email and password and sets an httpOnly session cookie', async () => {
    const user = await createUser(t.db, { role: 'INSTRUCTOR' });
    const res = await signIn(auth, user.email, DEFAULT_PASSWORD);
    expect(res.status).toBe(200);
    const raw = res.headers.getSetCookie().find((c) => c.includes('session_token'));
    expect(raw).toMatch(/HttpOnly/i);
    const me = await getSessionUser(auth, new Headers({ cookie: cookieFrom(res) }));
    expect(me).toMatchObject({ id: user.id, email: user.email, role: 'INSTRUCTOR' });
  });

  it('answers a wrong password with 401 and the same answer for an unknown email', async () => {
    const user = await createUser(t.db);
    const wrong = await signIn(auth, user.email, 'not-the-password');
    const unknown = await signIn(auth, `nobody-${user.id}@test.example`, 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a).toEqual(b);
    expect(wrong.headers.getSetCookie().some((c) => c.includes('session_token='))).toBe(false);
  });

  it('does not allow public sign-up, so no one can pick a role', async () => {
    const res = await auth.handler(
      new Request(`${BASE}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: BASE },
        body: JSON.stringify({
          email: 'new@test.example',
          password: 'password123',
          name: 'X',
          role: 'ADMIN',
        }),
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('guards the API by session and role', async () => {
    const instructor = await createUser(t.db, { role: 'INSTRUCTOR' });
    const student = await createUser(t.db, { role: 'STUDENT' });
    const admin = await createUser(t.db, { role: 'ADMIN' });
    const headersOf = async (email: string) =>
      new Headers({ cookie: cookieFrom(await signIn(auth, email, DEFAULT_PASSWORD)) });

    await expect(requireApiUser(auth, new Headers(), 'instructor')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
    });
    await expect(requireApiUser(auth, await headersOf(student.email), 'instructor')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    await expect(requireApiUser(auth, await headersOf(instructor.email), 'student')).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      requireApiUser(auth, await headersOf(instructor.email), 'instructor'),
    ).resolves.toMatchObject({
      id: instructor.id,
    });
    const asAdmin = await requireApiUser(auth, await headersOf(admin.email), 'instructor');
    expect(asAdmin.role).toBe('ADMIN');
  });

  it('a signed-out session no longer authenticates', async () => {
    const user = await createUser(t.db);
    const cookie = cookieFrom(await signIn(auth, user.email, DEFAULT_PASSWORD));
    const out = await auth.handler(
      new Request(`${BASE}/api/auth/sign-out`, {
        method: 'POST',
        headers: { cookie, origin: BASE, 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(out.status).toBe(200);
    expect(await getSessionUser(auth, new Headers({ cookie }))).toBeNull();
  });
});

describe('role areas', () => {
  const u = (role: 'INSTRUCTOR' | 'STUDENT' | 'ADMIN') => ({ id: '1', name: 'n', email: 'e', role });
  it('maps roles to areas and home pages', () => {
    expect(canEnter(u('INSTRUCTOR'), 'instructor')).toBe(true);
    expect(canEnter(u('ADMIN'), 'instructor')).toBe(true);
    expect(canEnter(u('STUDENT'), 'instructor')).toBe(false);
    expect(canEnter(u('STUDENT'), 'student')).toBe(true);
    expect(homeFor(u('STUDENT'))).toBe('/student');
    expect(homeFor(u('INSTRUCTOR'))).toBe('/instructor/dashboard');
  });
});
