// The durable change feed behind realtime delivery and resume. Every message change appends one
// row, without a position, inside the transaction that made the change and under its thread's row
// lock, so a thread's rows are inserted in commit order while different threads never wait on each
// other. A sequencer pass (feed-sequencer.ts) then numbers committed rows from a counter, positions
// and counter committing together: positions are contiguous and a reader that sees position N also
// sees everything below it. That is what lets a client that saw N ask the database, not a
// process's memory, for everything after N.
import { sql } from 'drizzle-orm';
import { inTransaction, queryRows, type Db } from '@/db/client';
import { messageEventCounter, messageEvents, messageThreads, type Message, type Role } from '@/db/schema';
import { publish, type MessagingContext } from './context';
import { messageRowView, toMessageView, type TMessageRow, type TMessageView } from './dto';
import { attachmentsJson, readAttachments } from './message-attachments';
import { extrasJson, readExtras } from './message-extras';

export type TMessageChange = 'created' | 'updated' | 'deleted';

/** One position of the feed, with the message as it is now (the state a replay delivers). */
export interface TLogEntry {
  position: number;
  kind: TMessageChange;
  threadId: string;
  /** The thread's current participants: the audience. Empty when read for one user. */
  participantIds: string[];
  message: TMessageView;
}

/**
 * An edit or a delete of one message, as one transaction: `write` changes the row (and returns
 * nothing when a guard stops it), then the thread's row is locked, as a send locks it, and the
 * change is appended with the audience; after the commit it is published. Returns the changed row,
 * or null when nothing changed.
 */
export async function changeMessage(
  ctx: MessagingContext,
  opts: {
    kind: Exclude<TMessageChange, 'created'>;
    author: { name: string; role: Role };
    write(tx: Db): Promise<Message | undefined>;
  },
): Promise<TMessageView | null> {
  const changed = await inTransaction(ctx.db, async (tx) => {
    const row = await opts.write(tx);
    if (!row) return null;
    // The thread's lock, held to the commit, puts this change in line with the thread's sends and
    // other changes: its row's id then follows every earlier commit of the thread, which is the
    // order the sequencer numbers in. (No key update: foreign-key checks on the thread still pass.)
    // A statement of its own, before the append: within one statement the order in which common
    // table expressions run is not defined, and the id must be drawn under the lock.
    const [locked] = await queryRows<{ participant_ids: string[] | string }>(
      tx,
      sql`select array(select user_id from message_participants
            where thread_id = ${messageThreads.id} and left_at is null) as participant_ids
          from ${messageThreads} where ${messageThreads.id} = ${row.threadId} for no key update`,
    );
    if (!locked) throw new Error(`thread ${row.threadId} of message ${row.id} vanished`);
    // The change, without a position: the sequencer numbers it after the commit.
    await tx.execute(
      sql`insert into ${messageEvents} (thread_id, message_id, kind) values (${row.threadId}, ${row.id}, ${opts.kind})`,
    );
    return { row, participantIds: parseTextArray(locked.participant_ids) };
  });
  if (!changed) return null;
  const [attachments, extras] = await Promise.all([
    changed.row.deletedAt ? [] : readAttachments(ctx.db, changed.row.id),
    readExtras(ctx.db, changed.row),
  ]);
  const message = toMessageView({ ...changed.row, attachments, extras }, opts.author);
  publish(ctx, {
    type: `message.${opts.kind}`,
    threadId: message.threadId,
    participantIds: changed.participantIds,
    message,
  });
  return message;
}

/** This database's feed id, creating the counter row (at position 0) if no change was made yet. */
export async function feedIdentity(db: Db): Promise<string> {
  const [row] = await queryRows<{ feed_id: string }>(
    db,
    sql`with created as (
      insert into ${messageEventCounter} (id, pos) values (1, 0) on conflict (id) do nothing returning feed_id
    )
    select feed_id from created union all select feed_id from ${messageEventCounter} where id = 1`,
  );
  return row!.feed_id;
}

/** The last position committed by a sequencer pass (0 before the first). */
export async function currentPosition(db: Db): Promise<number> {
  const [row] = await queryRows<{ pos: string | number }>(
    db,
    sql`select coalesce((select pos from ${messageEventCounter} where id = 1), 0) as pos`,
  );
  return Number(row?.pos ?? 0);
}

export interface TReadLogOptions {
  /** Exclusive lower bound. */
  after: number;
  /** Inclusive upper bound. */
  upTo: number;
  limit: number;
  /** Only the threads this user takes part in now (a resume); omitted: every thread (a gap fill). */
  userId?: string;
}

/** Changes in (after, upTo], in position order. */
export async function readMessageLog(db: Db, opts: TReadLogOptions): Promise<TLogEntry[]> {
  const columns = LOG_COLUMNS;
  const rows = await queryRows<LogRow>(
    db,
    opts.userId
      ? // Per thread of the user, through (thread_id, pos): the cost follows this user's changes,
        // not everyone's since `after`.
        sql`select ${columns}, '{}'::text[] as participant_ids
          from message_participants mp
          cross join lateral (
            select * from message_events le
            where le.thread_id = mp.thread_id and le.pos > ${opts.after} and le.pos <= ${opts.upTo}
            order by le.pos limit ${opts.limit}
          ) e
          join messages m on m.id = e.message_id
          join users u on u.id = m.sender_id
          where mp.user_id = ${opts.userId} and mp.left_at is null
          order by e.pos limit ${opts.limit}`
      : sql`select ${columns},
            array(select p.user_id from message_participants p
              where p.thread_id = e.thread_id and p.left_at is null) as participant_ids
          from message_events e
          join messages m on m.id = e.message_id
          join users u on u.id = m.sender_id
          where e.pos > ${opts.after} and e.pos <= ${opts.upTo}
          order by e.pos limit ${opts.limit}`,
  );
  return rows.map(toLogEntry);
}

/**
 * What a feed entry is read with, from change rows `e` joined to their message `m` and its sender
 * `u`; with a `participant_ids` column it makes a LogRow.
 */
export const LOG_COLUMNS = sql`e.pos, e.kind, e.thread_id,
    m.id, m.seq, m.sender_id, m.content, m.client_message_id, m.created_at, m.edited_at, m.deleted_at,
    m.version, u.name as sender_name, u.role as sender_role, ${attachmentsJson(sql`m.id`)} as attachments,
    ${extrasJson(sql`m.id`, sql`m.reply_to_id`)} as extras`;

export interface LogRow extends TMessageRow, Record<string, unknown> {
  pos: string | number;
  kind: TMessageChange;
  participant_ids: string[] | string;
}

export function toLogEntry(r: LogRow): TLogEntry {
  return {
    position: Number(r.pos),
    kind: r.kind,
    threadId: r.thread_id,
    participantIds: parseTextArray(r.participant_ids),
    message: messageRowView(r),
  };
}

/** Drivers differ: node-postgres parses text[] into an array, PGlite may hand back '{a,b}'. */
export function parseTextArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',').map((s) => s.replace(/^"|"$/g, '')) : [];
}
