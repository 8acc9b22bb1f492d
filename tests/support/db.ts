// Test databases: an in-memory PGlite always, and a uniquely named Postgres database when
// DATABASE_URL is set. Each is migrated with the real migrations and dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';

export type TestDbKind = 'pglite' | 'postgres';

/**
 * Whether this run covers the embedded database (PGlite): always, unless TEST_EMBEDDED=0 and
 * DATABASE_URL is set. CI's second run sets it: its first run covered PGlite on the same tree, and
 * running those cases again took about a third of the second run's time.
 */
export const EMBEDDED_RUN = process.env.TEST_EMBEDDED !== '0' || !process.env.DATABASE_URL;

/** The database modes this run covers: PGlite (see EMBEDDED_RUN), and Postgres when DATABASE_URL is set. */
export function dbKinds(): TestDbKind[] {
  const kinds: TestDbKind[] = EMBEDDED_RUN ? ['pglite'] : [];
  if (process.env.DATABASE_URL) kinds.push('postgres');
  return kinds;
}

export function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  return url;
}

export function urlForDatabase(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createScratchPostgres(
  prefix = 'cm_test',
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    name,
    url: urlForDatabase(name),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestDatabase extends Database {
  /** Closes the connection and removes the database. */
  dispose(): Promise<void>;
}

export async function createTestDatabase(
  kind: TestDbKind,
  opts: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  let database: Database;
  let drop = async () => {};
  if (kind === 'postgres') {
    const scratch = await createScratchPostgres();
    database = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 20 });
    drop = scratch.drop;
  } else {
    database = await openDatabase({ kind: 'pglite-memory' });
  }
  if (opts.migrate !== false) await migrateDatabase(database);
  return {
    ...database,
    dispose: async () => {
      await database.close();
      await drop();
    },
  };
}
