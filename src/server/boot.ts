// What every process does before serving: open the configured database, apply migrations, and seed
// demo data into an empty one. Used by server.ts and the db:* scripts.
import { getDatabase } from '@/db';
import { refreshStatistics, type Database } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { demoLoginsText, hasDemoAccounts, isEmpty, seedDemo } from '@/server/seed';
import { logger } from '@/platform/logger';

export async function prepareDatabase(opts: { seed: boolean }): Promise<Database> {
  const database = await getDatabase();
  const log = logger();
  const started = Date.now();
  await migrateDatabase(database);
  log.info({ db: database.kind, location: database.location, ms: Date.now() - started }, 'database migrated');
  if (opts.seed && (await isEmpty(database.db))) {
    const t = Date.now();
    await seedDemo(database.db);
    await refreshStatistics(database);
    log.info({ ms: Date.now() - t }, 'demo data seeded into the empty database');
  }
  if (await hasDemoAccounts(database.db)) console.log(`\n${demoLoginsText()}\n`);
  return database;
}
