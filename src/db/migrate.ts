import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { queryRows, refreshStatistics, type Database } from './client';

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

/**
 * How many of the committed migrations this database has not applied (readiness: a process whose
 * code expects a newer schema than the database has must not take traffic). drizzle records each
 * applied migration with its journal timestamp; a database that was never migrated has no table.
 */
export async function pendingMigrations(database: Database, folder = MIGRATIONS_FOLDER): Promise<number> {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  let applied = 0;
  try {
    const rows = await queryRows<{ last: string | number | null }>(
      database.db,
      sql`select max(created_at) as last from drizzle.__drizzle_migrations`,
    );
    applied = Number(rows[0]?.last ?? 0);
  } catch {
    return journal.entries.length;
  }
  return journal.entries.filter((e) => e.when > applied).length;
}
