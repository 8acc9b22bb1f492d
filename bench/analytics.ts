// Analytics at a million messages: `npm run bench:analytics`.
//
// Builds bench:api's fixture (bench/fixture.ts: a focal instructor in 200 of 3,440 threads, the
// messages in ONE insert … select, spread over 180 days), then:
//   rebuild  the analytics job's first run over all of it (the rollups from the messages table), s;
//   report   getAnalyticsReport itself (the function GET /api/instructor/analytics calls) as the focal
//            instructor for 7, 30 and 90 days, 90 days with a class filter (adds its engagement
//            tables), and the ADMIN's platform-wide 90 days: p50/p95 over BENCH_SAMPLES runs after
//            BENCH_WARMUP. Target: p95 < 200 ms;
//   live     BENCH_LIVE_SENDS sends through the send path, the sequencer's passes, and one job run
//            that applies them: how long the job takes to bring the figures up to date (it runs
//            every 10 s, so figures are live within ~10 s plus this). Target: within a minute.
// It prints numbers and never fails on a missed target.
//
//   DATABASE_URL=postgres://…          PostgreSQL (a scratch database, dropped afterwards); else PGlite.
//   BENCH_ANALYTICS_MESSAGES=1000000   messages in the fixture.
//   BENCH_SAMPLES=30   BENCH_WARMUP=3   BENCH_LIVE_SENDS=500   BENCH_KEEP=1 keeps the database.
import os from 'node:os';
import { catchUpAnalytics, refreshAnalytics } from '@/classroom/analytics-rollup';
import { getAnalyticsReport, type TAnalyticsQuery } from '@/classroom/analytics-report';
import type { Role } from '@/db/schema';
import { createMessageFeed } from '@/messaging/message-feed';
import { sendMessage } from '@/messaging/send-message';
import { attach, load, MODE, percentile, runBench, withScratchDatabase } from './fixture';

process.env.LOG_LEVEL ||= 'silent';

const TOTAL = Number(process.env.BENCH_ANALYTICS_MESSAGES ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const LIVE_SENDS = Number(process.env.BENCH_LIVE_SENDS ?? 500);
const TARGET_P95_MS = 200;

async function run(): Promise<void> {
  console.log(
    `bench:analytics on ${MODE === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (no DATABASE_URL)'}; ` +
      `${TOTAL.toLocaleString('en-US')} messages; ${SAMPLES} samples per report after ${WARMUP} warm-up runs`,
  );
  await withScratchDatabase(async (database) => {
    const { raw } = attach(database);
    const fx = await load(raw, TOTAL);
    const db = database.db;

    let t0 = performance.now();
    const first = await refreshAnalytics({ db });
    const rebuildS = (performance.now() - t0) / 1000;
    const [rows] = await raw.query(
      `select (select count(*) from analytics_thread_hours) as thread_hours,
        (select count(*) from analytics_viewer_hours) as viewer_hours,
        (select count(*) from analytics_platform_hours) as platform_hours,
        (select count(*) from analytics_wait_hours) as wait_hours,
        (select count(*) from analytics_student_days) as student_days,
        (select count(*) from analytics_waits) as waits`,
    );
    const n = (k: string) => Number(rows?.[k]).toLocaleString('en-US');
    console.log(
      `  rebuild (first run${first.rebuilt ? '' : ', NOT a rebuild?'}): ${rebuildS.toFixed(1)} s → ` +
        `${n('thread_hours')} thread-hour rows, ${n('viewer_hours')} viewer-hour rows, ` +
        `${n('platform_hours')} platform-hour rows, ${n('waits')} response-time rows ` +
        `(${n('wait_hours')} wait-hour rows), ${n('student_days')} student-day rows`,
    );
    await raw.query('analyze');
    const [cls] = await raw.query(`select class_id from class_instructors where instructor_id = $1 limit 1`, [
      fx.focalId,
    ]);
    console.log(
      `  load average before measuring: ${os.loadavg()[0]?.toFixed(2)} (${os.cpus().length} CPUs)\n`,
    );

    const cases: Array<{ label: string; role: Role; query: TAnalyticsQuery }> = [
      { label: 'instructor, 7 days', role: 'INSTRUCTOR', query: { range: '7', tz: 'Europe/Berlin' } },
      { label: 'instructor, 30 days', role: 'INSTRUCTOR', query: { range: '30', tz: 'Europe/Berlin' } },
      { label: 'instructor, 90 days', role: 'INSTRUCTOR', query: { range: '90', tz: 'Europe/Berlin' } },
      {
        label: 'instructor, 90 days, one class',
        role: 'INSTRUCTOR',
        query: { range: '90', tz: 'Europe/Berlin', classId: String(cls?.class_id) },
      },
      { label: 'ADMIN platform, 90 days', role: 'ADMIN', query: { range: '90', tz: 'Europe/Berlin' } },
    ];
    console.log(
      `  ${'report'.padEnd(34)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}   target p95 < ${TARGET_P95_MS} ms`,
    );
    for (const c of cases) {
      const times: number[] = [];
      for (let i = 0; i < WARMUP + SAMPLES; i++) {
        const s = performance.now();
        await getAnalyticsReport({ db }, { userId: fx.focalId, role: c.role, query: c.query });
        if (i >= WARMUP) times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 0.95);
      console.log(
        `  ${c.label.padEnd(34)} ${percentile(times, 0.5).toFixed(1).padStart(6)} ms ${p95.toFixed(1).padStart(6)} ms   ` +
          `${p95 < TARGET_P95_MS ? 'meets' : 'MISSES'} the target (${(p95 / TARGET_P95_MS).toFixed(2)}× of it)`,
      );
    }

    // Live: sends through the real path, numbered by the sequencer, then one catch-up of the job.
    for (let i = 0; i < LIVE_SENDS; i++) {
      await sendMessage({ db }, { threadId: fx.sendThreadId, userId: fx.focalId, content: `live ${i}` });
    }
    const feed = createMessageFeed({ db });
    while ((await feed.sequence({ limit: 1000 })).length > 0);
    t0 = performance.now();
    const applied = await catchUpAnalytics({ db });
    console.log(
      `\n  live: ${applied} new feed positions applied by the job in ${(performance.now() - t0).toFixed(0)} ms ` +
        `(the job runs every 10 s: figures within ~10 s of live; target: a minute)`,
    );
  });
}

await runBench(run);
