// On a PostgreSQL server with autovacuum off, the app vacuums the tables every send updates itself,
// one process at a time (src/db/client.ts). This machine's PostgreSQL runs with autovacuum off; on a
// server with it on, the test checks that the app leaves vacuuming to the server.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database, type Db } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { createScratchPostgres } from '../support/db';

const HOT = ['message_events', 'message_participants', 'message_threads'];

async function vacuumedTables(db: Db): Promise<string[]> {
  const rows = await queryRows<{ relname: string }>(
    db,
    sql`select relname from pg_stat_user_tables
      where relname in ('message_threads', 'message_participants', 'message_events') and last_vacuum is not null
      order by relname`,
  );
  return rows.map((r) => r.relname);
}

describe.runIf(!!process.env.DATABASE_URL)('self-vacuum on PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
  const opened: Database[] = [];
  beforeAll(async () => {
    scratch = await createScratchPostgres();
    const setup = await openDatabase({ kind: 'postgres', url: scratch.url, selfVacuumEveryMs: 3_600_000 });
    await migrateDatabase(setup);
    await setup.close();
  });
  afterAll(async () => {
    for (const database of opened) await database.close();
    await scratch.drop();
  });

  it('vacuums the rows sends update when the server does not, from one process at a time', async () => {
    // Two processes' pools on one database, on a short timer; the advisory lock lets one at a time in.
    for (let i = 0; i < 2; i++)
      opened.push(await openDatabase({ kind: 'postgres', url: scratch.url, selfVacuumEveryMs: 100 }));
    const db = opened[0]!.db;
    const [setting] = await queryRows<{ autovacuum: string }>(db, sql`show autovacuum`);
    if (setting?.autovacuum === 'off') {
      await vi.waitFor(async () => expect(await vacuumedTables(db)).toEqual(HOT), {
        timeout: 20_000,
        interval: 100,
      });
    } else {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await vacuumedTables(db)).toEqual([]);
    }
    // Closing waits for a round in progress, so nothing runs on an ended pool.
    for (const database of opened.splice(0)) await database.close();
  });
});
