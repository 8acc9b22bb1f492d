// The embedded database folder: migrate + seed into a folder, and a second process pointed at the
// same folder gets a clear error instead of corrupting it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { count, sql } from 'drizzle-orm';
import {
  DatabaseLockedError,
  openDatabase,
  queryRows,
  refreshStatistics,
  type Database,
  type Db,
} from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { classes, messageThreads, users } from '@/db/schema';
import { EMBEDDED_RUN } from '../support/db';
import { DEMO_INSTRUCTORS, isEmpty, seedDemo } from '@/server/seed';

describe.runIf(EMBEDDED_RUN)('embedded PGlite folder', () => {
  let dir: string;
  let database: Database;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-embedded-'));
    database = await openDatabase({ kind: 'pglite', dataDir: dir });
    await migrateDatabase(database);
  });
  afterAll(async () => {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the demo data into an empty database', async () => {
    expect(await isEmpty(database.db)).toBe(true);
    await seedDemo(database.db);
    const [u] = await database.db.select({ n: count() }).from(users);
    const [c] = await database.db.select({ n: count() }).from(classes);
    const [th] = await database.db.select({ n: count() }).from(messageThreads);
    expect(u?.n).toBe(42);
    expect(c?.n).toBe(3);
    expect(th?.n).toBeGreaterThanOrEqual(4);
    expect(await isEmpty(database.db)).toBe(false);
  });

  it('refuses a second open of the same folder in this process', async () => {
    await expect(openDatabase({ kind: 'pglite', dataDir: dir })).rejects.toBeInstanceOf(DatabaseLockedError);
  });

  it('gives a second process a clear error', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('already in use by process');
    expect(res.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('reopens after the holder closes, with the data intact', async () => {
    await database.close();
    database = await openDatabase({ kind: 'pglite', dataDir: dir });
    const [u] = await database.db.select({ n: count() }).from(users);
    expect(u?.n).toBe(42);
    expect(DEMO_INSTRUCTORS.length).toBe(2);
  });
});

describe.runIf(EMBEDDED_RUN)('embedded planner statistics (PGlite has no autovacuum)', () => {
  let dir: string;
  let database: Database | undefined;
  const lastAnalyze = async (db: Db): Promise<number> => {
    const [row] = await queryRows<{ at: Date | string | null }>(
      db,
      sql`select last_analyze as at from pg_stat_user_tables where relname = 'messages'`,
    );
    return row?.at ? new Date(row.at).getTime() : 0;
  };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cm-embedded-stats-'));
  });
  afterAll(async () => {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('analyzes after migrating, and again on its timer, which also vacuums the rows sends update', async () => {
    // A short interval so the test sees a round; the server's default is ten minutes.
    const db = await openDatabase({ kind: 'pglite', dataDir: dir, analyzeEveryMs: 50 });
    database = db;
    await migrateDatabase(db);
    const afterMigrate = await lastAnalyze(db.db);
    expect(afterMigrate).toBeGreaterThan(0);
    await vi.waitFor(async () => expect(await lastAnalyze(db.db)).toBeGreaterThan(afterMigrate), {
      timeout: 20_000,
      interval: 50,
    });
    const vacuumed = await queryRows<{ relname: string; at: Date | string | null }>(
      db.db,
      sql`select relname, last_vacuum as at from pg_stat_user_tables
        where relname in ('message_threads', 'message_participants', 'message_events') order by relname`,
    );
    expect(vacuumed.map((r) => [r.relname, r.at !== null])).toEqual([
      ['message_events', true],
      ['message_participants', true],
      ['message_threads', true],
    ]);
  });

  it('refreshStatistics runs ANALYZE on demand (after a bulk change)', async () => {
    const db = database!;
    const before = await lastAnalyze(db.db);
    await refreshStatistics(db);
    expect(await lastAnalyze(db.db)).toBeGreaterThanOrEqual(before);
    await db.close();
    database = undefined;
  });
});
