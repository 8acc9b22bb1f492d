// The process-wide database. server.ts opens it at boot; Next's route handlers and pages are bundled
// separately from server.ts, so the handle is shared through globalThis rather than a module variable
// (a second PGlite on the same folder would corrupt it).
import { env } from '@/platform/env';
import { openDatabase, type Database, type Db, type OpenDatabaseOptions } from './client';

const key = Symbol.for('classroom-messaging.database');
type G = typeof globalThis & { [key]?: Promise<Database> };

export function databaseOptionsFromEnv(): OpenDatabaseOptions {
  const { DATABASE_URL, DATA_DIR, DB_PREPARED_STATEMENTS } = env();
  return DATABASE_URL
    ? { kind: 'postgres', url: DATABASE_URL, preparedStatements: DB_PREPARED_STATEMENTS === 'true' }
    : { kind: 'pglite', dataDir: DATA_DIR };
}

/** The shared database of this process, opened from the environment on first use. */
export function getDatabase(): Promise<Database> {
  if (process.env.NEXT_PHASE === 'phase-production-build') {
    // A build must never open (and lock) the embedded database that the server is about to use.
    throw new Error('The database is not available while `next build` runs; render this page dynamically.');
  }
  const g = globalThis as G;
  g[key] ??= openDatabase(databaseOptionsFromEnv());
  return g[key];
}

/** Installs a database opened elsewhere (tests) as the process's. */
export function setDatabase(database: Database): void {
  (globalThis as G)[key] = Promise.resolve(database);
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

export type { Database, Db };
