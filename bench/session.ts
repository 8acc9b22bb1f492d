// Who is calling, per request: `npm run bench:session`.
//
// Every REST request and page starts by looking up the caller's session. This times that lookup as
// the app does it (getSignedIn: one query, src/auth/session-cookie.ts) against better-auth's own
// getSession for the same signed-in cookie, taking turns, on PostgreSQL (DATABASE_URL, a scratch
// database) or PGlite, and prints the mean of each and their ratio. BENCH_ROUNDS (5) rounds of
// BENCH_CALLS (200) sequential lookups each, after one untimed round.
import { getSignedIn } from '@/auth/session';
import { createUser } from '@/classroom/create-account';
import { installTestServices } from '../tests/support/api';
import { MODE, runBench, withScratchDatabase } from './fixture';

process.env.LOG_LEVEL ||= 'silent';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);

async function timePerCall(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await fn();
  return (performance.now() - started) / CALLS;
}

void runBench(async () => {
  console.log(`bench:session on ${MODE}; ${ROUNDS} rounds of ${CALLS} lookups`);
  await withScratchDatabase(async (database) => {
    const api = installTestServices(database.db);
    const user = await createUser(database.db, { role: 'INSTRUCTOR' });
    const headers = new Headers({ cookie: await api.cookieFor(user) });
    const { auth } = api.services;
    const app = () => getSignedIn(auth, headers);
    const betterAuth = () => auth.api.getSession({ headers });
    if ((await app())?.user.id !== user.id || (await betterAuth())?.user.id !== user.id)
      throw new Error('the cookie does not sign in');
    await timePerCall(app);
    await timePerCall(betterAuth);

    const ours: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const [fn, out] of r % 2 === 0
        ? ([
            [app, ours],
            [betterAuth, theirs],
          ] as const)
        : ([
            [betterAuth, theirs],
            [app, ours],
          ] as const))
        out.push(await timePerCall(fn));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log('');
    console.log('| Lookup of a live session | ms per request (mean of rounds) |');
    console.log('| --- | ---: |');
    console.log(`| better-auth getSession | ${mean(theirs).toFixed(2)} |`);
    console.log(`| getSignedIn (the app's) | ${mean(ours).toFixed(2)} |`);
    console.log(`| ratio, app ÷ better-auth | ${(mean(ours) / mean(theirs)).toFixed(2)}× |`);
  });
});
