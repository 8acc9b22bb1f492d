// A durable job queue in the database's `jobs` table, on PGlite and PostgreSQL alike (pg-boss and
// graphile-worker need a real Postgres server; PGlite has no LISTEN across processes nor their
// extensions). Jobs are rows: a worker claims due ones with `FOR UPDATE SKIP LOCKED`, so two
// processes never take the same row, and holds each for a lease. A worker killed mid-job (kill -9)
// never finishes it; its lease expires and any worker claims the row again. Finishing is guarded
// by the lease holder's id, so a worker that lost its lease cannot overwrite the new holder's run.
//
// Two ways in:
// - enqueue: a new row; with a `key`, at most once ever (the key is unique for the row's life).
// - schedule: one row per key, re-armed for each run: a queued row moves to the earlier time, a
//   running one runs again after it finishes, a finished one is queued again. For "flush this
//   user's notifications at T" and any per-entity recurring work (scheduled sends).
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { jobs, type JobRow } from '@/db/schema';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface TEnqueueOptions {
  queue: string;
  payload?: Json;
  /** Default: now. */
  runAt?: Date;
  /** Unique for the life of the row: a second enqueue with the same key does nothing. */
  key?: string;
  /** Failures before the job is given up as `failed` (default 8). */
  maxAttempts?: number;
}

/** Inserts a job; `created` is false when a job with this key already exists (at most once). */
export async function enqueue(db: Db, opts: TEnqueueOptions): Promise<{ id: number; created: boolean }> {
  const rows = await queryRows<{ id: string | number }>(
    db,
    sql`insert into jobs (queue, key, payload, run_at, max_attempts)
      values (${opts.queue}, ${opts.key ?? null}, ${JSON.stringify(opts.payload ?? {})}::jsonb,
        ${(opts.runAt ?? new Date()).toISOString()}::timestamptz, ${opts.maxAttempts ?? 8})
      on conflict (key) do nothing
      returning id`,
  );
  if (rows[0]) return { id: Number(rows[0].id), created: true };
  const [existing] = await queryRows<{ id: string | number }>(
    db,
    sql`select id from jobs where key = ${opts.key ?? null}`,
  );
  return { id: Number(existing?.id), created: false };
}

/**
 * Asks for one run of the keyed job at `runAt` or earlier. A queued row keeps the earlier of the
 * two times; a running row is marked to run again at `runAt` once it finishes (its run may have
 * read its inputs before the caller's change); a done or failed row is queued again.
 */
export async function schedule(
  db: Db,
  opts: Required<Pick<TEnqueueOptions, 'queue' | 'key'>> & Omit<TEnqueueOptions, 'queue' | 'key'>,
): Promise<void> {
  const at = (opts.runAt ?? new Date()).toISOString();
  await db.execute(
    sql`insert into jobs (queue, key, payload, run_at, max_attempts)
      values (${opts.queue}, ${opts.key}, ${JSON.stringify(opts.payload ?? {})}::jsonb, ${at}::timestamptz,
        ${opts.maxAttempts ?? 8})
      on conflict (key) do update set
        run_at = case
          when jobs.state = 'queued' then least(jobs.run_at, excluded.run_at)
          when jobs.state = 'running' then jobs.run_at
          else excluded.run_at end,
        rerun_at = case
          when jobs.state = 'running' then least(coalesce(jobs.rerun_at, excluded.run_at), excluded.run_at)
          else jobs.rerun_at end,
        attempts = case when jobs.state in ('done', 'failed') then 0 else jobs.attempts end,
        last_error = case when jobs.state in ('done', 'failed') then null else jobs.last_error end,
        finished_at = case when jobs.state in ('done', 'failed') then null else jobs.finished_at end,
        state = case when jobs.state in ('done', 'failed') then 'queued' else jobs.state end`,
  );
}

export interface ClaimedJob {
  id: number;
  queue: string;
  key: string | null;
  payload: Json;
  /** 1 on the first run; a run after a crash or a failure counts on. */
  attempt: number;
  maxAttempts: number;
}

/**
 * Claims up to `limit` due jobs of these queues for `workerId`, for `leaseMs`: queued rows whose
 * time has come, and running rows whose lease has expired (their worker died). Each claim counts
 * as an attempt, so a job that kills every process that runs it stops after maxAttempts.
 */
export async function claimJobs(
  db: Db,
  opts: { queues: string[]; workerId: string; leaseMs: number; limit: number; now?: Date },
): Promise<ClaimedJob[]> {
  if (!opts.queues.length) return [];
  const now = (opts.now ?? new Date()).toISOString();
  const queues = sql.join(
    opts.queues.map((q) => sql`${q}`),
    sql`, `,
  );
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`update jobs set state = 'running', attempts = attempts + 1, locked_by = ${opts.workerId},
        locked_until = ${now}::timestamptz + ${opts.leaseMs} * interval '1 millisecond'
      where id in (
        select id from jobs
        where queue in (${queues})
          and ((state = 'queued' and run_at <= ${now}::timestamptz)
            or (state = 'running' and locked_until < ${now}::timestamptz))
        order by run_at, id
        limit ${opts.limit}
        for update skip locked
      )
      returning id, queue, key, payload, attempts, max_attempts`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    queue: String(r.queue),
    key: (r.key as string | null) ?? null,
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Json,
    attempt: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
  }));
}

/** Extends the lease of a job this worker still holds; false when it was lost (expired and taken). */
export async function extendLease(db: Db, job: { id: number }, workerId: string, leaseMs: number) {
  const rows = await queryRows(
    db,
    sql`update jobs set locked_until = now() + ${leaseMs} * interval '1 millisecond'
      where id = ${job.id} and state = 'running' and locked_by = ${workerId} returning id`,
  );
  return rows.length > 0;
}

/**
 * Finishes a run this worker holds. `done`: finished (or queued again at rerun_at when someone
 * asked meanwhile); `retry`: queued again at `runAt` (a failure, counted); `later`: queued again at
 * `runAt` without counting an attempt (the handler chose to wait, e.g. for quiet hours to end);
 * `failed`: given up. False when the lease was lost: another worker owns the row now.
 */
export async function finishJob(
  db: Db,
  job: { id: number },
  workerId: string,
  outcome:
    | { state: 'done' }
    | { state: 'retry'; runAt: Date; error: string }
    | { state: 'later'; runAt: Date }
    | { state: 'failed'; error: string },
): Promise<boolean> {
  const guard = sql`where id = ${job.id} and state = 'running' and locked_by = ${workerId} returning id`;
  const unlock = sql`locked_by = null, locked_until = null`;
  let q;
  if (outcome.state === 'done') {
    q = sql`update jobs set ${unlock},
      state = case when rerun_at is null then 'done' else 'queued' end,
      run_at = coalesce(rerun_at, run_at), rerun_at = null,
      attempts = case when rerun_at is null then attempts else 0 end,
      finished_at = case when rerun_at is null then now() else null end ${guard}`;
  } else if (outcome.state === 'later') {
    q = sql`update jobs set ${unlock}, state = 'queued', attempts = attempts - 1,
      run_at = least(${outcome.runAt.toISOString()}::timestamptz, coalesce(rerun_at, 'infinity'::timestamptz)),
      rerun_at = null ${guard}`;
  } else if (outcome.state === 'retry') {
    q = sql`update jobs set ${unlock}, state = 'queued', last_error = ${outcome.error},
      run_at = ${outcome.runAt.toISOString()}::timestamptz ${guard}`;
  } else {
    q = sql`update jobs set ${unlock}, state = 'failed', last_error = ${outcome.error}, finished_at = now() ${guard}`;
  }
  return (await queryRows(db, q)).length > 0;
}

/** Delay before retry number `attempt` (1-based): exponential from `baseMs`, capped, with jitter. */
export function backoffMs(attempt: number, baseMs = 5_000, capMs = 60 * 60_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

/** A keyed job's row, for tests and operators. */
export async function readJob(db: Db, key: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.key, key));
  return row;
}
