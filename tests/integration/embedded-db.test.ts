// The embedded database folder: migrate + seed into a folder, and a second process pointed at the
// same folder gets a clear error instead of corrupting it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { DatabaseLockedError, openDatabase, type Database } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { classes, messageThreads, users } from '@/db/schema';
import { DEMO_INSTRUCTORS, isEmpty, seedDemo } from '@/server/seed';

describe('embedded PGlite folder', () => {
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
