// Opens the database: PGlite in a local folder (embedded default) or PostgreSQL through node-postgres.
// Both speak the same SQL, use the same schema and the same drizzle-kit migrations.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { logger } from '@/platform/logger';
import { setGaugeSource } from '@/platform/metrics';
import { prepareStatementsOn } from './prepared-statements';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** Where it lives, for log lines: a folder, ':memory:' or the URL without its password. */
  location: string;
  close(): Promise<void>;
}

export type OpenDatabaseOptions =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** Parameterised statements are prepared per connection (default true; prepared-statements.ts). */
      preparedStatements?: boolean;
      /** With the server's autovacuum off: how often the app vacuums the hot tables itself (default SELF_VACUUM_EVERY_MS). */
      selfVacuumEveryMs?: number;
    }
  | {
      kind: 'pglite';
      dataDir: string;
      /** How often to refresh the planner's statistics; default EMBEDDED_ANALYZE_EVERY_MS. */
      analyzeEveryMs?: number;
    }
  | { kind: 'pglite-memory' };

export class DatabaseLockedError extends Error {}

/**
 * PGlite has no autovacuum, so nothing else would ever refresh its planner statistics: a server on
 * an embedded folder runs ANALYZE this often, or the plans (the thread list's keyset walk, the
 * capped unread counts) drift as the tables grow away from what was last measured.
 */
export const EMBEDDED_ANALYZE_EVERY_MS = 10 * 60_000;

/**
 * The tables every send updates rows of: its thread, the thread's participants (non-HOT: their
 * `activity_at` is indexed), and the feed row a sequencer pass numbers. Each update leaves a dead
 * version and index entries; the feed's partial index of unnumbered rows keeps one dead entry per
 * message, which every pass walks until a vacuum removes it. One statement: VACUUM cannot run in a
 * transaction, nor in a multi-statement string.
 */
const VACUUM_HOT_TABLES = 'vacuum message_threads, message_participants, message_events';

/**
 * A PostgreSQL server with autovacuum off (it happens: a tuning mistake, a CI machine) reclaims none
 * of the above. bench:realtime measured PostgreSQL's CPU per send rising by half over two minutes at
 * a steady rate. The app then vacuums them itself this often, one process at a time.
 */
export const SELF_VACUUM_EVERY_MS = 60_000;
/** The advisory lock that keeps two processes' self-vacuums apart ("cm-vacu" in ASCII). */
const SELF_VACUUM_LOCK = 27986064721404789n;

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', (err) => logger().warn({ err }, 'idle PostgreSQL connection failed'));
    if (options.preparedStatements !== false) prepareStatementsOn(pool);
    // Fail at open, with the driver's message, rather than on the first request.
    const probe = await pool.connect();
    let autovacuumOff = false;
    try {
      const { rows } = await probe.query<{ autovacuum: string }>('show autovacuum');
      autovacuumOff = rows[0]?.autovacuum === 'off';
    } finally {
      probe.release();
    }
    const selfVacuum = autovacuumOff
      ? startSelfVacuum(pool, options.selfVacuumEveryMs ?? SELF_VACUUM_EVERY_MS)
      : undefined;
    // The scrape reads the pool as it is then (the last pool opened wins: one per process).
    setGaugeSource('dbPoolInUse', () => pool.totalCount - pool.idleCount);
    setGaugeSource('dbPoolWaiting', () => pool.waitingCount);
    return {
      db: drizzlePg(pool, { schema }) as unknown as Db,
      kind: 'postgres',
      location: redactUrl(options.url),
      close: async () => {
        await selfVacuum?.stop();
        await pool.end();
      },
    };
  }
  if (options.kind === 'pglite-memory') {
    const client = await PGlite.create();
    return {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      kind: 'pglite',
      location: ':memory:',
      close: () => client.close(),
    };
  }
  const dataDir = path.resolve(options.dataDir);
  const release = acquireFolderLock(dataDir);
  try {
    const client = await PGlite.create(path.join(dataDir, 'pgdata'));
    // PGlite has no autovacuum: besides the statistics, the rows every send updates (its thread, the
    // thread's participants, the feed row a pass numbers) leave dead versions, and index entries for
    // them, that nothing else would reclaim. Unref'd: it never keeps a process alive; a failure is
    // logged and the next round tries again.
    // Two statements: VACUUM cannot run in a multi-statement string (an implicit transaction).
    const analyzing = setInterval(() => {
      void (async () => {
        for (const statement of ['analyze', VACUUM_HOT_TABLES])
          await client
            .exec(statement)
            .catch((err: unknown) => logger().warn({ err, statement }, 'embedded maintenance failed'));
      })();
    }, options.analyzeEveryMs ?? EMBEDDED_ANALYZE_EVERY_MS);
    analyzing.unref();
    return {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      kind: 'pglite',
      location: dataDir,
      close: async () => {
        clearInterval(analyzing);
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * The self-vacuum timer (see SELF_VACUUM_EVERY_MS); `stop` waits for a round in progress. A round
 * holds one of the pool's connections while it runs (milliseconds on small tables, longer on large
 * ones with many dead rows).
 */
function startSelfVacuum(pool: pg.Pool, everyMs: number): { stop(): Promise<void> } {
  const log = logger().child({ component: 'db' });
  // Info, not warn: the app takes care of it, and worker processes' stdout (warn and up) is what
  // the multi-process tests read line by line.
  log.info(
    { everyMs },
    'autovacuum is off on this PostgreSQL server: the app vacuums message_threads, message_participants and message_events itself',
  );
  let round: Promise<void> | undefined;
  const timer = setInterval(() => {
    round ??= (async () => {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ got: boolean }>('select pg_try_advisory_lock($1) as got', [
          String(SELF_VACUUM_LOCK),
        ]);
        if (!rows[0]?.got) return; // another process is at it
        try {
          await client.query(VACUUM_HOT_TABLES);
        } finally {
          await client.query('select pg_advisory_unlock($1)', [String(SELF_VACUUM_LOCK)]);
        }
      } finally {
        client.release();
      }
    })()
      .catch((err: unknown) => log.warn({ err }, 'self-vacuum failed; the next round tries again'))
      .finally(() => (round = undefined));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await round;
    },
  };
}

/**
 * PGlite is a single-process database: two processes writing one folder corrupt it.
 * A pid lock file turns the second open into a clear error instead.
 */
function acquireFolderLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      const release = () => {
        process.off('exit', release);
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockPath, 'utf8'));
      if (holder && isAlive(holder)) {
        throw new DatabaseLockedError(
          `The embedded database in ${dataDir} is already in use by process ${holder}. ` +
            `Stop that process first, point DATA_DIR at another folder, or set DATABASE_URL to use PostgreSQL.`,
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale lock from a process that died
    }
  }
  throw new DatabaseLockedError(`Could not lock the embedded database folder ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

/**
 * Refreshes the planner's statistics after a bulk change (migrations, the demo seed) on PGlite,
 * which has no autovacuum. On PostgreSQL autovacuum does this, so it is a no-op there.
 */
export async function refreshStatistics(database: Pick<Database, 'db' | 'kind'>): Promise<void> {
  if (database.kind !== 'pglite') return;
  await database.db.execute(sql`analyze`);
}

/** Rows of a raw SQL statement: both drivers answer `db.execute` with `{ rows }`. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute<T>(query);
  return (result as unknown as { rows: T[] }).rows;
}

/**
 * Runs `work` in a transaction and hands it a `Db`: drizzle types a transaction apart from the
 * database, though it answers the same queries, so the one cast lives here.
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => work(tx as unknown as Db));
}
