// `npm run db:migrate`: apply drizzle-kit migrations to the configured database (PGlite or Postgres).
import { getDatabase } from '../src/db';
import { migrateDatabase } from '../src/db/migrate';
import { exitOnFatal } from '../src/server/cli';

async function main() {
  const database = await getDatabase();
  await migrateDatabase(database);
  console.log(`Migrations applied (${database.kind}: ${database.location}).`);
  await database.close();
}

main().catch(exitOnFatal);
