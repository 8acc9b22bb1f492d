// The sequencer of the change feed: a pass gives committed change rows that have no position yet
// their positions, in insertion (id) order, in one short transaction (one call of the database
// function cm_number_feed, migration 0014). Writers never touch the counter; only passes do, one
// at a time per database (an advisory lock), so sends in different threads never queue on a
// shared row, and a thread's rows, inserted in its commit order under its row lock, get positions
// in that order. Numbering and the counter commit together, so positions are contiguous and
// whoever sees position N sees everything below it. A pass scans ids above a floor below which
// every row that will ever commit has its position (migration 0021), so its cost does not grow with
// the numbered rows' dead index entries between two vacuums.
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db/client';
import { messageEventCounter, messageEvents } from '@/db/schema';
import type { MessagingContext } from './context';
import { readMessageLog, type TLogEntry } from './message-log';

const DEFAULT_LIMIT = 500;

export interface TSequenceFeedOptions {
  /** At most this many rows per pass; a full pass means more may be waiting. */
  limit?: number;
  /**
   * Look without a lock first and return at once when nothing waits (the default). A caller that
   * knows a change is waiting (it just committed one) skips the look and its round trip.
   */
  probe?: boolean;
}

/**
 * Positions the oldest committed unpositioned changes (at most `limit`) and returns them as feed
 * entries, with the thread's current audience and the message as it is now, in position order.
 * Returns [] when nothing is waiting, without taking any lock.
 */
export async function sequenceFeed(
  { db }: Pick<MessagingContext, 'db'>,
  opts: TSequenceFeedOptions = {},
): Promise<TLogEntry[]> {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  if (opts.probe !== false) {
    // The common case for the periodic pass: one probe of the partial index, no transaction, above
    // the passes' scan floor (migration 0021), so it never walks the entries of numbered rows.
    const [waiting] = await queryRows<{ waiting: boolean }>(
      db,
      sql`select exists (select 1 from ${messageEvents} where pos is null
            and id > coalesce((select scan_from from ${messageEventCounter} where id = 1), 0)) as waiting`,
    );
    if (!waiting?.waiting) return [];
  }

  // One round trip numbers the pass (the function in migration 0014: the advisory lock, then the
  // numbering, committed as the statement ends); a second reads what it numbered, as it is now.
  const [range] = await queryRows<{ first_pos: string | number; last_pos: string | number }>(
    db,
    sql`select first_pos, last_pos from cm_number_feed(${limit}::integer)`,
  );
  if (!range) return [];
  const first = Number(range.first_pos);
  const last = Number(range.last_pos);
  return readMessageLog(db, { after: first - 1, upTo: last, limit: last - first + 1 });
}
