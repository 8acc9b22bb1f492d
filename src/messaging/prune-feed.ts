// The change feed keeps a window, not everything: message_events rows older than the retention are
// deleted in small batches, and the feed remembers the position it was pruned through. A client
// that last saw a lower position cannot be caught up from the database any more; the resume tells
// it to reload instead (`resync-required`). Messages themselves are never touched.
import { sql } from 'drizzle-orm';
import { inTransaction, queryRows, type Db } from '@/db/client';
import { messageEvents, messageFeedWindow } from '@/db/schema';
import type { MessagingContext } from './context';

const DEFAULT_BATCH_SIZE = 2_000;

export interface TPruneFeedOptions {
  /** Changes made before this instant go. */
  olderThan: Date;
  /** Rows deleted per transaction, so a long backlog never holds one giant delete. */
  batchSize?: number;
}

export interface TPruneFeedResult {
  deleted: number;
  batches: number;
  /** The lowest position a client can still resume from (0: nothing was ever pruned). */
  prunedThrough: number;
}

/**
 * Deletes the feed's rows older than `olderThan`. The boundary is a position: the highest one older
 * than the window. Batches walk up the position index from the last boundary and stop at the first
 * batch with nothing old in it, so the work follows what is deleted, not the table's size, and
 * every row above the boundary stays. A row without a position (one not yet ordered) is never
 * deleted, nor one inside the window that sits below the boundary (a later run takes it once old).
 */
export async function pruneFeed(
  ctx: Pick<MessagingContext, 'db'>,
  opts: TPruneFeedOptions,
): Promise<TPruneFeedResult> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH_SIZE));
  const olderThan = opts.olderThan.toISOString();
  let prunedThrough = await feedPrunedThrough(ctx.db);
  let after = prunedThrough;
  let deleted = 0;
  let batches = 0;
  for (;;) {
    const batch = await inTransaction(ctx.db, (tx) => pruneBatch(tx, { after, olderThan, batchSize }));
    if (batch.upTo === null) break;
    batches += 1;
    deleted += batch.deleted;
    prunedThrough = Math.max(prunedThrough, batch.upTo);
    after = batch.scannedTo;
    if (!batch.full) break;
  }
  return { deleted, batches, prunedThrough };
}

/** The lowest position a client can still resume from: 0 until the feed is first pruned. */
export async function feedPrunedThrough(db: Db): Promise<number> {
  const [row] = await queryRows<{ pruned_through: string | number }>(
    db,
    sql`select coalesce((select pruned_through from ${messageFeedWindow} where id = 1), 0) as pruned_through`,
  );
  return Number(row?.pruned_through ?? 0);
}

/** One transaction over the next `batchSize` positions above `after`: their old rows go. */
async function pruneBatch(
  tx: Db,
  { after, olderThan, batchSize }: { after: number; olderThan: string; batchSize: number },
): Promise<{ upTo: number | null; scannedTo: number; deleted: number; full: boolean }> {
  const rows = await queryRows<{ pos: string | number; old: boolean }>(
    tx,
    sql`select pos, created_at < ${olderThan}::timestamptz as old from ${messageEvents}
      where pos is not null and pos > ${after}
      order by pos limit ${batchSize}`,
  );
  const scannedTo = rows.length ? Number(rows.at(-1)!.pos) : after;
  const full = rows.length === batchSize;
  const old = rows.filter((r) => r.old);
  if (old.length === 0) return { upTo: null, scannedTo, deleted: 0, full };
  const upTo = Number(old.at(-1)!.pos);
  // The boundary moves in the same transaction as the delete: a resume that finds rows missing
  // also finds the boundary past them, and tells its client to reload rather than skip them.
  await tx.execute(
    sql`insert into ${messageFeedWindow} (id, pruned_through, pruned_at) values (1, ${upTo}, now())
      on conflict (id) do update set
        pruned_through = greatest(${messageFeedWindow}.pruned_through, excluded.pruned_through),
        pruned_at = excluded.pruned_at`,
  );
  // No lower bound: rows below `after` are gone already, but for one a slow transaction stamped
  // inside an earlier window, which goes now that it is old.
  const [gone] = await queryRows<{ n: string | number }>(
    tx,
    sql`with gone as (
      delete from ${messageEvents}
      where pos is not null and pos <= ${upTo} and created_at < ${olderThan}::timestamptz
      returning 1
    ) select count(*) as n from gone`,
  );
  return { upTo, scannedTo, deleted: Number(gone?.n ?? 0), full };
}
