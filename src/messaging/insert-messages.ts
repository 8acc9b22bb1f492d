// The write of a send, for one message or for many at once (group commit). One call of the database
// function cm_send_messages (migration 0019) per batch: it bumps each thread's counter, which takes
// the thread's row lock until the commit and numbers the thread's message, inserts the messages with
// those numbers, updates the threads' participants and appends the change-feed rows, without
// positions (the sequencer gives them theirs), so no row shared by different threads is touched.
// Sends that arrive while the process is busy share one batch (insertMessageBatched): one round
// trip, one parse and one commit for all of them, where each used to pay its own. The threads of one
// batch are all different, and their rows are locked in id order, so two batches never wait on each
// other in a cycle.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import type { Message, MessageThread } from '@/db/schema';
import { createBatcher, type Batcher } from '@/platform/batcher';
import { domainError } from './errors';
import { parseTextArray } from './message-log';

export class DuplicateKey extends Error {}

export interface TInsertMessageOptions {
  threadId: string;
  senderId: string;
  content: string;
  clientMessageId?: string;
  replyToId?: string;
  /** Backdating for seed data and tests; live sends use the database clock. */
  createdAt?: Date;
  /** An urgent announcement (create-thread checks who may): its email skips the delay. */
  urgent?: boolean;
}

export interface TInsertedMessage {
  message: Message;
  thread: MessageThread;
  participantIds: string[];
}

/**
 * One message, as one statement that commits on its own (or runs inside the caller's
 * transaction: create-thread's first message, a send with files). A send whose client key is
 * already taken undoes the whole statement (the counter bump too) and throws DuplicateKey; the
 * caller returns the stored original.
 */
export async function insertMessage(db: Db, opts: TInsertMessageOptions): Promise<TInsertedMessage> {
  const [result] = await insertMessages(db, [opts]);
  if (result instanceof Error) throw result;
  return result!;
}

const batchers = new WeakMap<Db, Batcher<TInsertMessageOptions, TInsertedMessage | Error>>();

/** Batches waiting at most per database; each holds one pooled connection while it runs. */
const MAX_BATCHES_IN_FLIGHT = 2;
/** Messages per statement at most. */
const MAX_BATCH = 64;

/**
 * insertMessage, sharing its statement with the sends that arrive on this database at the same
 * time (never inside a transaction: pass the pool's db, not a tx).
 */
export async function insertMessageBatched(db: Db, opts: TInsertMessageOptions): Promise<TInsertedMessage> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = createBatcher({
      name: 'send_write',
      maxInFlight: MAX_BATCHES_IN_FLIGHT,
      maxBatch: MAX_BATCH,
      exclusiveKey: (item) => item.threadId,
      run: (items) => insertMessages(db, items),
    });
    batchers.set(db, batcher);
  }
  const result = await batcher.run(opts);
  if (result instanceof Error) throw result;
  return result;
}

/**
 * Messages to different threads, as one statement. Per item: the stored message, or the error
 * that item alone would have raised (a statement of several that fails is retried one by one, so
 * one sender's duplicate key never fails another's send).
 */
async function insertMessages(
  db: Db,
  items: TInsertMessageOptions[],
): Promise<Array<TInsertedMessage | Error>> {
  try {
    const rows = await queryRows<InsertedRow>(db, insertStatement(items));
    const byIndex = new Map(rows.map((row) => [Number(row.i), row]));
    return items.map((item, i) => {
      const row = byIndex.get(i);
      return row ? toInserted(item, row) : domainError('THREAD_NOT_FOUND');
    });
  } catch (err) {
    if (items.length > 1) {
      // One by one; an item's own failure is its answer alone, never its neighbours' (they may be
      // stored already, and must not be told otherwise).
      const results: Array<TInsertedMessage | Error> = [];
      for (const item of items) {
        results.push(
          await insertMessages(db, [item]).then(
            ([result]) => result!,
            (itemErr: unknown) => (itemErr instanceof Error ? itemErr : new Error(String(itemErr))),
          ),
        );
      }
      return results;
    }
    if (isUniqueViolation(err, 'uq_messages_sender_client_key')) return [new DuplicateKey()];
    throw err;
  }
}

/** The batch as one call of cm_send_messages (migration 0019, which says what it does and why). */
function insertStatement(items: TInsertMessageOptions[]) {
  const input = JSON.stringify(
    items.map((item, i) => ({
      i,
      thread_id: item.threadId,
      sender_id: item.senderId,
      content: item.content,
      client_message_id: item.clientMessageId ?? null,
      reply_to_id: item.replyToId ?? null,
      created_at: item.createdAt?.toISOString() ?? null,
      urgent: item.urgent ?? false,
    })),
  );
  return sql`select i, message_id, id, type, class_id, created_by_id, title, students_can_reply, direct_key,
      last_message_seq, last_message_at, created_at, updated_at, participant_ids
    from cm_send_messages(${input}::jsonb)`;
}

function toInserted(opts: TInsertMessageOptions, row: InsertedRow): TInsertedMessage {
  const thread: MessageThread = {
    id: row.id,
    type: row.type,
    classId: row.class_id,
    createdById: row.created_by_id,
    title: row.title,
    studentsCanReply: row.students_can_reply,
    directKey: row.direct_key,
    lastMessageSeq: Number(row.last_message_seq),
    lastMessageAt: new Date(row.last_message_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
  const message: Message = {
    id: row.message_id,
    threadId: opts.threadId,
    senderId: opts.senderId,
    content: opts.content,
    seq: thread.lastMessageSeq,
    clientMessageId: opts.clientMessageId ?? null,
    replyToId: opts.replyToId ?? null,
    version: 0,
    createdAt: thread.lastMessageAt!,
    editedAt: null,
    deletedAt: null,
    urgent: opts.urgent ?? false,
  };
  return { message, thread, participantIds: parseTextArray(row.participant_ids) };
}

/** What the statement returns per message: its input index, the bumped thread row, the message id and the audience. */
interface InsertedRow extends Record<string, unknown> {
  i: number | string;
  message_id: string;
  id: string;
  type: MessageThread['type'];
  class_id: string | null;
  created_by_id: string;
  title: string | null;
  students_can_reply: boolean;
  direct_key: string | null;
  last_message_seq: string | number;
  last_message_at: string | Date;
  created_at: string | Date;
  updated_at: string | Date;
  participant_ids: string[] | string;
}

/** A unique-index violation (SQLSTATE 23505) on the named constraint, from either driver. */
function isUniqueViolation(err: unknown, constraint: string): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const { code, constraint: name, message } = e as { code?: string; constraint?: string; message?: string };
    if (code === '23505' && (name === constraint || message?.includes(constraint))) return true;
  }
  return false;
}
