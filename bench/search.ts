// Message search latency at a million messages: `npm run bench:search`.
//
// Builds bench:api's fixture (bench/fixture.ts: a focal instructor in 200 of 3,440 threads, one
// INSERT … SELECT for the messages) with realistic text instead of lorem ipsum: 6–23 words a
// message drawn from a Zipf vocabulary (rank r with probability ∝ 1/r over 50,000 words: English
// stop words and classroom words at the head, invented words in the tail), plus student names
// (every 9th message), course codes (every 13th) and the phrase "office hours" (every 17th). Then,
// as the focal instructor, it times searchMessages itself (the domain function the route calls)
// for five kinds of query, prints p50/p95 next to the targets, the EXPLAIN (ANALYZE, BUFFERS) plan
// of each, the index's size per million messages, and a send's p50 with the index against without
// it (alternating runs with the index dropped and rebuilt; the generated column stays).
//
//   DATABASE_URL=postgres://…        PostgreSQL (a scratch database, dropped afterwards); else PGlite.
//   BENCH_SEARCH_MESSAGES=1000000    messages in the fixture.
//   BENCH_SAMPLES=50                 timed runs per query (after BENCH_WARMUP=5 untimed ones).
//   BENCH_SEND_SAMPLES=150           sends timed with the index, then as many without it.
//   BENCH_PLANS=0                    skip the EXPLAIN output.   BENCH_KEEP=1 keeps the database.
import os from 'node:os';
import type { Db } from '@/db/client';
import { searchMessages, type TSearchPage } from '@/messaging/search-messages';
import { sendMessage } from '@/messaging/send-message';
import {
  attach,
  capture,
  explain,
  load,
  MODE,
  percentile,
  printPlan,
  runBench,
  withScratchDatabase,
  type Raw,
} from './fixture';

process.env.LOG_LEVEL ||= 'silent';

const TOTAL = Number(process.env.BENCH_SEARCH_MESSAGES ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const SEND_SAMPLES = Number(process.env.BENCH_SEND_SAMPLES ?? 150);
const PLANS = process.env.BENCH_PLANS !== '0';
const TARGET_P95_MS = 50;
const SEND_RATIO_TARGET = 1.2;

// ---- the text -----------------------------------------------------------------------------------

/** The head of the vocabulary, most frequent first. */
const HEAD = (
  'the to and a of is for in you it on this be will please your with are we can have ' +
  'assignment class quiz week homework question grade today due lab reading notes exam chapter ' +
  'thanks project draft rubric submit feedback group discussion problem answer lecture office ' +
  'hours tomorrow friday monday late extension review study test score paper essay slides ' +
  'example section online meeting schedule deadline questions graded grades submitted reminder'
).split(' ');
const SYLLABLES = 'ka lo mi ne ru sa te vi bo da fe gu ha ji ku le mo na pi ro su ta ve zo'.split(' ');
const VOCAB = 50_000;

const sqlArray = (items: string[]) => `array[${items.map((w) => `'${w}'`).join(',')}]::text[]`;
/** A word of rank r: a head word, or an invented one spelled from r's digits in base 24. */
const wordAt = (r: string) => `case when ${r} <= ${HEAD.length} then (${sqlArray(HEAD)})[${r}] else
  (${sqlArray(SYLLABLES)})[1 + ${r} % 24] || (${sqlArray(SYLLABLES)})[1 + (${r} / 24) % 24] ||
  (${sqlArray(SYLLABLES)})[1 + (${r} / 576) % 24] ||
  case when ${r} >= 13824 then (${sqlArray(SYLLABLES)})[1 + (${r} / 13824) % 24] else '' end end`;
/** Zipf by inverse transform: floor(exp(u · ln V)) has P(r) ≈ 1 / (r · ln V). */
const ZIPF_RANK = `least(${VOCAB}, floor(exp(random() * ln(${VOCAB})))::int)`;
const CONTENT = `array_to_string(array(select ${wordAt('z.r')}
    from generate_series(1, 6 + (s * 7 + p.idx) % 18) g cross join lateral (select ${ZIPF_RANK} + 0 * g as r) z), ' ')
  || case when s % 9 = 0 then ' Student ' || (1 + (s * 13 + p.idx) % 3800) else '' end
  || case when s % 13 = 0 then ' BENCH-' || (1 + (s + p.idx) % 125) else '' end
  || case when s % 17 = 0 then ' see you in office hours' else '' end`;

/** A tail word that exists: the invented word of rank 30,001 (about 40 uses per million messages). */
const RARE_RANK = 30_001;
function rareWord(): string {
  const r = RARE_RANK;
  const s = (i: number) => SYLLABLES[i % 24]!;
  return s(r) + s(Math.floor(r / 24)) + s(Math.floor(r / 576)) + s(Math.floor(r / 13824));
}

// ---- measuring ----------------------------------------------------------------------------------

interface Query {
  label: string;
  q: string;
}

const QUERIES: Query[] = [
  // A trailing space ends the word: matched exactly, not as the prefix of a longer one.
  { label: 'common word (assignment)', q: 'assignment ' },
  { label: 'rare word', q: rareWord() },
  { label: 'phrase ("office hours")', q: '"office hours"' },
  { label: 'from: + word', q: 'from:"Student 17" quiz' },
  { label: 'prefix (assig…)', q: 'assig' },
];

interface Stat {
  p50: number;
  p95: number;
  n: number;
}

async function time(run: () => Promise<unknown>, samples: number, warmup = WARMUP): Promise<Stat> {
  for (let i = 0; i < warmup; i++) await run();
  const took: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await run();
    took.push(performance.now() - t0);
  }
  took.sort((a, b) => a - b);
  return { p50: percentile(took, 0.5), p95: percentile(took, 0.95), n: took.length };
}

async function indexFigures(raw: Raw): Promise<string> {
  const [r] = await raw.query(`select pg_relation_size('idx_messages_search') as idx,
      (select sum(pg_column_size(search_vector)) from messages) as col, (select count(*) from messages) as n`);
  const n = Number(r?.n);
  const perMillion = (bytes: number) => `${(((bytes / n) * 1e6) / 2 ** 20).toFixed(0)} MiB`;
  return (
    `GIN index ${(Number(r?.idx) / 2 ** 20).toFixed(0)} MiB (${perMillion(Number(r?.idx))} per million messages); ` +
    `the tsvector column ${(Number(r?.col) / 2 ** 20).toFixed(0)} MiB (${perMillion(Number(r?.col))} per million)`
  );
}

async function buildIndex(raw: Raw): Promise<number> {
  const t0 = performance.now();
  // As migration 0016 has it: no pending list, so each send files its own entries.
  await raw.query(
    'create index idx_messages_search on messages using gin (search_vector) with (fastupdate = false)',
  );
  await raw.query('analyze messages');
  return (performance.now() - t0) / 1000;
}

async function sendP50(db: Db, threadId: string, userId: string, tag: string): Promise<Stat> {
  let i = 0;
  return time(
    () =>
      sendMessage(
        { db },
        {
          threadId,
          userId,
          content: `${tag} ${++i}: please review the rubric before friday, the quiz covers chapter ${i % 12}`,
        },
      ),
    SEND_SAMPLES,
    10,
  );
}

// ---- main ---------------------------------------------------------------------------------------

async function run(): Promise<void> {
  console.log(
    `bench:search on ${MODE === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (no DATABASE_URL)'}; ` +
      `${TOTAL.toLocaleString('en-US')} messages; ${SAMPLES} samples per query after ${WARMUP} warm-up runs`,
  );
  await withScratchDatabase(async (database) => {
    const { raw, capDb } = attach(database);
    // The GIN index is built once after the load (as a restore would), not row by row during it.
    const fx = await load(raw, TOTAL, { content: CONTENT, before: ['drop index idx_messages_search'] });
    console.log(`  create the GIN index: ${(await buildIndex(raw)).toFixed(1)} s`);
    const db = database.db;
    const [focal] = await raw.query(
      `select count(*) as threads, (select count(*) from messages m where m.thread_id in
         (select thread_id from message_participants where user_id = $1)) as messages
       from message_participants where user_id = $1 and left_at is null`,
      [fx.focalId],
    );
    console.log(
      `  focal instructor: ${focal?.threads} threads, ${Number(focal?.messages).toLocaleString('en-US')} messages in them`,
    );
    console.log(`  ${await indexFigures(raw)}`);
    console.log(
      `  load average before measuring: ${os.loadavg()[0]?.toFixed(2)} (${os.cpus().length} CPUs)\n`,
    );

    const search = (q: string, d: Db = db) => searchMessages({ db: d }, { userId: fx.focalId, query: { q } });
    const rows: Array<{ query: Query; stat: Stat; found: string }> = [];
    for (const query of QUERIES) {
      const page = (await search(query.q)) as TSearchPage;
      const stat = await time(() => search(query.q), SAMPLES);
      const found = `${page.results.length} results${page.nextCursor ? ', more' : ''}`;
      rows.push({ query, stat, found });
    }
    console.log(
      `  ${'query'.padEnd(28)} ${'q'.padEnd(24)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}  target p95  result`,
    );
    for (const { query, stat, found } of rows) {
      const verdict =
        MODE === 'postgres' ? (stat.p95 < TARGET_P95_MS ? 'OK' : 'MISSED') : '(PostgreSQL only)';
      console.log(
        `  ${query.label.padEnd(28)} ${query.q.padEnd(24)} ${stat.p50.toFixed(2).padStart(8)} ${stat.p95.toFixed(2).padStart(8)}  < ${TARGET_P95_MS} ${verdict.padEnd(8)} ${found}`,
      );
    }

    if (PLANS) {
      console.log(`\n  EXPLAIN (ANALYZE, BUFFERS) of each search:`);
      for (const query of QUERIES) {
        const statements = await capture(() => search(query.q, capDb));
        for (const st of statements)
          printPlan(`${query.label}: ${query.q}`, st, await explain(raw.query, st));
      }
    }

    // Sequential by necessity (the index is the table's), so alternated: with, without, with, without.
    console.log(
      '\n  send p50 in one DIRECT thread, with the search index (GIN) and without it (alternating runs):',
    );
    const ratios: number[] = [];
    for (let round = 1; round <= 2; round++) {
      if (round > 1) console.log(`  (re)create the indexes: ${(await buildIndex(raw)).toFixed(1)} s`);
      const withIndex = await sendP50(db, fx.sendThreadId, fx.focalId, `with ${round}`);
      await raw.query('drop index idx_messages_search');
      const without = await sendP50(db, fx.sendThreadId, fx.focalId, `without ${round}`);
      ratios.push(withIndex.p50 / without.p50);
      console.log(
        `  round ${round}: with p50 ${withIndex.p50.toFixed(2)} ms (p95 ${withIndex.p95.toFixed(2)}), ` +
          `without p50 ${without.p50.toFixed(2)} ms (p95 ${without.p95.toFixed(2)}), ratio ${ratios.at(-1)!.toFixed(2)}×`,
      );
    }
    // A kept database is left as the app has it, with its search index.
    if (process.env.BENCH_KEEP === '1')
      console.log(`  (re)create the index: ${(await buildIndex(raw)).toFixed(1)} s`);
    const ratio = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    console.log(
      `  send p50 ratio, mean of the rounds: ${ratio.toFixed(2)}× (target ≤ ${SEND_RATIO_TARGET}×) ${ratio <= SEND_RATIO_TARGET ? 'OK' : 'MISSED'}`,
    );
  });
}

await runBench(run);
