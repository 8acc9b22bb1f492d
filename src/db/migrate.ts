import path from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { refreshStatistics, type Database } from './client';

/** The committed drizzle-kit migrations. Scripts and tests run from the project root. */
export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), 'drizzle');

/**
 * Applies every pending migration (a no-op when the database is current), then refreshes
 * statistics. `folder` is for tests that build an older schema from the first few migrations.
 */
export async function migrateDatabase(database: Database, folder = MIGRATIONS_FOLDER): Promise<void> {
  const config = { migrationsFolder: folder };
  if (database.kind === 'pglite') await migratePglite(database.db as unknown as PgliteDatabase, config);
  else await migratePg(database.db as unknown as NodePgDatabase, config);
  // A migration may rewrite or backfill a table (0003 copies every thread's activity).
  await refreshStatistics(database);
}
