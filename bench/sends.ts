// Concurrent sends in separate threads on PostgreSQL: `npm run bench:sends` (DATABASE_URL required).
//
// BENCH_CLIENTS senders (16) each send into a DIRECT thread of their own, in a closed loop (the next
// send goes out when the last one returns), through the domain's sendMessage on a pool of
// BENCH_CLIENTS connections, for BENCH_DURATION_MS (10 s). Meanwhile another connection samples
// pg_stat_activity every 10 ms and counts the backends waiting on a lock, by wait event and by the
// relation of the lock they wait for. Sends in different threads share no row, so a healthy write
// path shows no lock waits at all (issue 14: the old global feed counter made every send queue).
// Prints sends/s and the lock-wait samples. A scratch database is made and dropped.
// BENCH_PREPARED=0 sends every statement unnamed (db/prepared-statements.ts off), for comparison.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { sendMessage } from '@/messaging/send-message';
import { createDirectPair } from '../tests/factories';
import { createScratchPostgres } from '../tests/support/db';

process.env.LOG_LEVEL ||= 'silent';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('bench:sends needs DATABASE_URL (PostgreSQL)');
  const scratch = await createScratchPostgres('cm_bench_sends');
  const database = await openDatabase({
    kind: 'postgres',
    url: scratch.url,
    poolSize: CLIENTS,
    preparedStatements: process.env.BENCH_PREPARED !== '0',
  });
  const sampler = new pg.Client({ connectionString: scratch.url });
  try {
    await migrateDatabase(database);
    const db = database.db;
    const pairs = [];
    for (let i = 0; i < CLIENTS; i++) pairs.push(await createDirectPair(db));
    await sampler.connect();

    const waits = new Map<string, number>();
    let samples = 0;
    let activeSamples = 0;
    let sampling = true;
    const sampleLoop = (async () => {
      while (sampling) {
        const { rows } = await sampler.query<{ wait: string | null; rel: string | null; active: boolean }>(
          `select a.wait_event_type || ':' || a.wait_event as wait, l.relation::regclass::text as rel,
             a.state = 'active' as active
           from pg_stat_activity a
           left join pg_locks l on l.pid = a.pid and not l.granted
           where a.datname = current_database() and a.pid <> pg_backend_pid()`,
        );
        samples++;
        for (const r of rows) {
          if (r.active) activeSamples++;
          if (!r.wait?.startsWith('Lock:')) continue;
          const key = `${r.wait} on ${r.rel ?? '(transaction)'}`;
          waits.set(key, (waits.get(key) ?? 0) + 1);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    let sent = 0;
    const deadline = Date.now() + DURATION_MS;
    const started = Date.now();
    await Promise.all(
      pairs.map(async ({ student, thread }) => {
        while (Date.now() < deadline) {
          await sendMessage(
            { db },
            { threadId: thread.id, userId: student.id, content: 'bench', clientMessageId: randomUUID() },
          );
          sent++;
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    sampling = false;
    await sampleLoop;

    const lockWaits = [...waits.values()].reduce((a, b) => a + b, 0);
    console.log(`bench:sends: ${CLIENTS} senders in ${CLIENTS} DIRECT threads, ${elapsed.toFixed(1)} s`);
    console.log(`  sends/s          ${(sent / elapsed).toFixed(0)}`);
    console.log(`  activity samples ${samples} (${activeSamples} active backend-samples)`);
    console.log(`  lock waits       ${lockWaits}`);
    for (const [key, n] of [...waits].sort((a, b) => b[1] - a[1])) console.log(`    ${n}\t${key}`);
  } finally {
    await sampler.end().catch(() => undefined);
    await database.close();
    await scratch.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
