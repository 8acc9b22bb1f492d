// The sequencer of the change feed: a pass gives committed change rows that have no position yet
// their positions, in insertion (id) order, in one short transaction. Writers never touch the
// counter; only passes do, one at a time per database (an advisory lock), so sends in different
// threads never queue on a shared row, and a thread's rows, inserted in its commit order under its
// row lock, get positions in that order. Numbering and the counter commit together, so positions
// are contiguous and whoever sees position N sees everything below it.
import { sql } from 'drizzle-orm';
import { inTransaction, queryRows } from '@/db/client';
import { messageEventCounter, messageEvents } from '@/db/schema';
import type { MessagingContext } from './context';
import { LOG_COLUMNS, toLogEntry, type LogRow, type TLogEntry } from './message-log';

/** The advisory lock key that serialises passes across processes ("cm-feed" in ASCII). */
const SEQUENCER_LOCK = 0x636d2d66656564n;
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
    // The common case for the periodic pass: one probe of the partial index, no transaction.
    const [waiting] = await queryRows<{ waiting: boolean }>(
      db,
      sql`select exists (select 1 from ${messageEvents} where pos is null) as waiting`,
    );
    if (!waiting?.waiting) return [];
  }

  return inTransaction(db, async (tx) => {
    // Its own statement: the next one's snapshot is then taken after the previous pass committed,
    // so it never sees as pending a row that pass numbered.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEQUENCER_LOCK.toString()}::bigint)`);
    // `for update` keeps each chosen row from being deleted (a cascade) before the commit, so
    // every number handed out lands on a row: no holes. Only committed rows are visible; the
    // uncommitted are the next pass's.
    const rows = await queryRows<LogRow>(
      tx,
      sql`with pending as (
          select id from ${messageEvents} where pos is null order by id limit ${limit} for update
        ),
        numbered as (
          select id, row_number() over (order by id) as n, count(*) over () as total from pending
        ),
        bumped as (
          insert into ${messageEventCounter} (id, pos)
          select 1, count(*) from pending having count(*) > 0
          on conflict (id) do update set pos = ${messageEventCounter}.pos + excluded.pos
          returning pos
        ),
        positioned as (
          update ${messageEvents} target set pos = bumped.pos - numbered.total + numbered.n
          from numbered, bumped
          where target.id = numbered.id
          returning target.pos, target.kind, target.thread_id, target.message_id
        )
        select ${LOG_COLUMNS},
          array(select p.user_id from message_participants p
            where p.thread_id = e.thread_id and p.left_at is null) as participant_ids
        from positioned e
        join messages m on m.id = e.message_id
        join users u on u.id = m.sender_id
        order by e.pos`,
    );
    return rows.map(toLogEntry);
  });
}
