// The one-query session lookup (src/auth/session-cookie.ts) against better-auth's own getSession on
// a real database: it answers a live session itself, with exactly what getSession answers, and hands
// every other case to better-auth, which keeps expiring, deleting and refreshing sessions.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from '@/auth/auth';
import { getSignedIn } from '@/auth/session';
import { sessions } from '@/db/schema';
import { createUser } from '../factories';
import { BASE, signIn } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';

const DAY = 24 * 60 * 60 * 1000;

const headersWith = (cookie: string) => new Headers({ cookie });

describe.each(dbKinds())('the one-query session lookup on %s', (kind) => {
  let t: TestDatabase;
  let auth: Auth;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    auth = createAuth({ db: t.db, secret: 'y'.repeat(32), baseURL: BASE, requestsPerMinute: 10_000 });
  });
  afterAll(async () => t?.dispose());

  async function session(role: 'INSTRUCTOR' | 'STUDENT' = 'STUDENT') {
    const user = await createUser(t.db, { role });
    const cookie = await signIn(auth, user.email);
    const [row] = await t.db.select().from(sessions).where(eq(sessions.userId, user.id));
    return { user, cookie, row: row! };
  }

  it('answers a live session itself, with what better-auth answers', async () => {
    const { user, cookie, row } = await session('INSTRUCTOR');
    const quick = await auth.readSessionCookie(headersWith(cookie));
    expect(quick).toEqual({
      sessionId: row.id,
      user: { id: user.id, name: user.name, email: user.email, role: 'INSTRUCTOR' },
    });
    const slow = await auth.api.getSession({ headers: headersWith(cookie) });
    expect(slow?.session.id).toBe(row.id);
    expect(await getSignedIn(auth, headersWith(cookie))).toEqual({
      sessionId: slow!.session.id,
      user: { id: slow!.user.id, name: slow!.user.name, email: slow!.user.email, role: 'INSTRUCTOR' },
    });
  });

  it('answers no cookie as signed out, and a signed-out answer from better-auth for a forged one', async () => {
    expect(await auth.readSessionCookie(new Headers())).toBeNull();
    expect(await getSignedIn(auth, new Headers({ cookie: 'other=1' }))).toBeNull();

    const { cookie } = await session();
    const [name, value] = cookie
      .split('; ')
      .find((c) => c.includes('session_token'))!
      .split('=');
    const decoded = decodeURIComponent(value!);
    const token = decoded.slice(0, decoded.lastIndexOf('.'));
    const forgedSignature = `${name}=${encodeURIComponent(`${token}.${'A'.repeat(43)}=`)}`;
    const otherToken = `${name}=${encodeURIComponent(`x${decoded}`)}`;
    for (const forged of [forgedSignature, otherToken, `${name}=${token}`]) {
      expect(await auth.readSessionCookie(headersWith(forged))).toBe('ask');
      expect(await getSignedIn(auth, headersWith(forged))).toBeNull();
    }
  });

  it('leaves a revoked session to better-auth, which finds nothing', async () => {
    const { cookie, row } = await session();
    await t.db.delete(sessions).where(eq(sessions.id, row.id));
    expect(await auth.readSessionCookie(headersWith(cookie))).toBe('ask');
    expect(await getSignedIn(auth, headersWith(cookie))).toBeNull();
  });

  it('leaves an expired session to better-auth, which deletes it', async () => {
    const { cookie, row } = await session();
    await t.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, row.id));
    expect(await auth.readSessionCookie(headersWith(cookie))).toBe('ask');
    expect(await getSignedIn(auth, headersWith(cookie))).toBeNull();
    expect(await t.db.select().from(sessions).where(eq(sessions.id, row.id))).toEqual([]);
  });

  it('leaves a session due for its daily renewal to better-auth, which renews it', async () => {
    const { user, cookie, row } = await session();
    // Renewed two days ago: five days left of seven.
    const dueAt = new Date(Date.now() + 5 * DAY);
    await t.db.update(sessions).set({ expiresAt: dueAt }).where(eq(sessions.id, row.id));
    expect(await auth.readSessionCookie(headersWith(cookie))).toBe('ask');
    expect((await getSignedIn(auth, headersWith(cookie)))?.user.id).toBe(user.id);
    const [renewed] = await t.db.select().from(sessions).where(eq(sessions.id, row.id));
    expect(renewed!.expiresAt.getTime()).toBeGreaterThan(dueAt.getTime() + DAY);
    // Renewed, it is the quick path's again.
    expect(await auth.readSessionCookie(headersWith(cookie))).toMatchObject({ sessionId: row.id });
  });

  it('leaves a cookie sent twice, or a "don\'t remember me" session, to better-auth', async () => {
    const a = await session();
    const b = await session();
    const tokenOf = (cookie: string) => cookie.split('; ').find((c) => c.includes('session_token'))!;
    const twice = `${tokenOf(a.cookie)}; ${tokenOf(b.cookie)}`;
    expect(await auth.readSessionCookie(headersWith(twice))).toBe('ask');
    // better-auth takes the first; so does the answer.
    expect((await getSignedIn(auth, headersWith(twice)))?.user.id).toBe(a.user.id);

    const dontRemember = `${a.cookie}; better-auth.dont_remember=x`;
    expect(await auth.readSessionCookie(headersWith(dontRemember))).toBe('ask');
  });
});
