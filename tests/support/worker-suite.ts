// Scaffolding of the exactly-once suites (notifications, scheduled send), whose worker processes
// (spawnWorker) share a database with the test: clean-ups that run after the suite, newest first,
// and a fresh Postgres database on DATABASE_URL, opened for the test and dropped at the end.
import { afterAll } from 'vitest';
import { openDatabase, type Database } from '@/db/client';
import { createScratchPostgres } from './db';

export type Cleanup = Array<() => Promise<void>>;

/** Push clean-ups as things start; after the suite they run in reverse, each failure ignored. */
export function useCleanup(): Cleanup {
  const cleanup: Cleanup = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  });
  return cleanup;
}

/** A scratch Postgres database (not migrated) and its URL for the workers; dropped at clean-up. */
export async function sharedPostgres(cleanup: Cleanup): Promise<{ database: Database; url: string }> {
  const scratch = await createScratchPostgres();
  cleanup.push(scratch.drop);
  const database = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 5 });
  cleanup.push(() => database.close());
  return { database, url: scratch.url };
}
