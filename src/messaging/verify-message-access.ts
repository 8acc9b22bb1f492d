// The guide's verifyMessageAccess: a user sees a thread only while they are a participant who has
// not left it (the rule itself lives in visibility.ts, shared with the thread list and search). Anything else is NOT_FOUND, the same answer as for an id that does not exist, so a
// probe learns nothing. Also loads the facts the policies need, in one query.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { createBatcher, type Batcher } from '@/platform/batcher';
import {
  classEnrollments,
  classInstructors,
  messageColumns,
  messageParticipants,
  messageThreads,
  messages,
  users,
  type Message,
  type MessageThread,
  type Role,
} from '@/db/schema';
import { AppError } from '@/platform/errors';
import { domainError } from './errors';
import type { TActorFacts, TThreadFacts } from './policies';
import { seesThroughParticipant } from './visibility';

export interface TThreadAccess {
  thread: MessageThread;
  participant: typeof messageParticipants.$inferSelect;
  actor: TActorFacts & { name: string };
}

export function threadNotFound(): AppError {
  return domainError('THREAD_NOT_FOUND');
}

export function messageNotFound(): AppError {
  return domainError('MESSAGE_NOT_FOUND');
}

/**
 * True when one of a, b teaches a class the other is currently enrolled in: the relationship that
 * lets an instructor and a student write to each other.
 */
export function sharesClassSql(a: SQL | string, b: SQL | string): SQL<boolean> {
  // Aliased explicitly: drizzle leaves columns unqualified in single-table selects.
  return sql<boolean>`exists (
    select 1 from ${classEnrollments} se
    join ${classInstructors} si on si.class_id = se.class_id
    where se.left_at is null
      and ((si.instructor_id = ${a} and se.student_id = ${b})
        or (si.instructor_id = ${b} and se.student_id = ${a}))
  )`;
}

/**
 * The facts the policies need about `userId` in the thread selected as message_threads: whether they
 * teach its class (and as its primary instructor), and for a DIRECT thread whether the two people
 * still share a class. `userId` is a value or a column.
 */
function actorFactsSql(userId: SQL) {
  const other = sql`(select o.user_id from ${messageParticipants} o
    where o.thread_id = ${messageThreads.id} and o.user_id <> ${userId} limit 1)`;
  return {
    teachesClass: sql<boolean>`exists (select 1 from ${classInstructors}
        where ${classInstructors.classId} = ${messageThreads.classId} and ${classInstructors.instructorId} = ${userId})`,
    isPrimaryInstructor: sql<boolean>`exists (select 1 from ${classInstructors}
        where ${classInstructors.classId} = ${messageThreads.classId} and ${classInstructors.instructorId} = ${userId}
          and ${classInstructors.isPrimary})`,
    sharesClass: sql<boolean>`(${messageThreads.type} = 'DIRECT' and ${sharesClassSql(userId, other)})`,
  };
}

export async function verifyMessageAccess(
  db: Db,
  { userId, threadId }: { userId: string; threadId: string },
): Promise<TThreadAccess> {
  const [row] = await db
    .select({
      thread: messageThreads,
      participant: messageParticipants,
      name: users.name,
      role: users.role,
      ...actorFactsSql(sql`${userId}`),
    })
    .from(messageParticipants)
    .innerJoin(messageThreads, eq(messageThreads.id, messageParticipants.threadId))
    .innerJoin(users, eq(users.id, messageParticipants.userId))
    .where(and(eq(messageParticipants.threadId, threadId), seesThroughParticipant(userId)))
    .limit(1);
  if (!row) throw threadNotFound();
  return {
    thread: row.thread,
    participant: row.participant,
    actor: toActor(userId, row),
  };
}

function toActor(
  id: string,
  row: {
    name: string;
    role: string;
    teachesClass: unknown;
    isPrimaryInstructor: unknown;
    sharesClass: unknown;
  },
): TThreadAccess['actor'] {
  return {
    id,
    name: row.name,
    role: row.role as Role,
    teachesClass: Boolean(row.teachesClass),
    isPrimaryInstructor: Boolean(row.isPrimaryInstructor),
    sharesClass: Boolean(row.sharesClass),
  };
}

/** What a send needs to know before it writes: what verifyMessageAccess gives, and its client key's message. */
export interface TSendAccess {
  thread: TThreadFacts;
  actor: TThreadAccess['actor'];
  /** The id of the sender's message already stored under this client key (a retry), if any. */
  existingId: string | null;
}

interface TSendAccessRequest {
  userId: string;
  threadId: string;
  clientMessageId?: string;
}

const sendAccessBatchers = new WeakMap<Db, Batcher<TSendAccessRequest, TSendAccess | null>>();

/**
 * verifyMessageAccess for a send, with the client-key lookup in the same statement, shared with the
 * sends that arrive on this database at the same time (platform/batcher.ts): one round trip for all
 * of them. Throws THREAD_NOT_FOUND as verifyMessageAccess does.
 */
export async function verifySendAccess(db: Db, request: TSendAccessRequest): Promise<TSendAccess> {
  let batcher = sendAccessBatchers.get(db);
  if (!batcher) {
    batcher = createBatcher({
      name: 'send_access',
      maxInFlight: 2,
      maxBatch: 100,
      run: (items) => readSendAccess(db, items),
    });
    sendAccessBatchers.set(db, batcher);
  }
  const access = await batcher.run(request);
  if (!access) throw threadNotFound();
  return access;
}

async function readSendAccess(db: Db, requests: TSendAccessRequest[]): Promise<Array<TSendAccess | null>> {
  const input = JSON.stringify(
    requests.map((r, i) => ({
      i,
      user_id: r.userId,
      thread_id: r.threadId,
      client_key: r.clientMessageId ?? null,
    })),
  );
  const facts = actorFactsSql(sql`x.user_id`);
  const rows = await queryRows<{
    i: number | string;
    type: TThreadFacts['type'];
    created_by_id: string;
    students_can_reply: boolean;
    name: string;
    role: string;
    teaches_class: unknown;
    is_primary_instructor: unknown;
    shares_class: unknown;
    existing_id: string | null;
  }>(
    db,
    sql`select x.i, ${messageThreads.type} as type, ${messageThreads.createdById} as created_by_id,
        ${messageThreads.studentsCanReply} as students_can_reply, ${users.name} as name, ${users.role} as role,
        ${facts.teachesClass} as teaches_class, ${facts.isPrimaryInstructor} as is_primary_instructor,
        ${facts.sharesClass} as shares_class,
        (select m.id from ${messages} m
          where x.client_key is not null and m.sender_id = x.user_id and m.client_message_id = x.client_key
          limit 1) as existing_id
      from jsonb_to_recordset(${input}::jsonb) as x(i integer, user_id text, thread_id text, client_key text)
      join ${messageParticipants} on ${messageParticipants.threadId} = x.thread_id
        and ${seesThroughParticipant(sql`x.user_id`)}
      join ${messageThreads} on ${messageThreads.id} = x.thread_id
      join ${users} on ${users.id} = x.user_id`,
  );
  const byIndex = new Map(rows.map((row) => [Number(row.i), row]));
  return requests.map((request, i) => {
    const row = byIndex.get(i);
    if (!row) return null;
    return {
      thread: { type: row.type, createdById: row.created_by_id, studentsCanReply: row.students_can_reply },
      actor: toActor(request.userId, {
        name: row.name,
        role: row.role,
        teachesClass: row.teaches_class,
        isPrimaryInstructor: row.is_primary_instructor,
        sharesClass: row.shares_class,
      }),
      existingId: row.existing_id,
    };
  });
}

/** A message the user may see (its thread passes verifyMessageAccess), with its author and that access. */
export async function verifyMessageVisible(
  db: Db,
  { userId, messageId }: { userId: string; messageId: string },
): Promise<TThreadAccess & { message: Message; author: { name: string; role: Role } }> {
  const [row] = await db
    .select({ message: messageColumns, name: users.name, role: users.role })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(eq(messages.id, messageId))
    .limit(1);
  if (!row) throw messageNotFound();
  try {
    const access = await verifyMessageAccess(db, { userId, threadId: row.message.threadId });
    return { ...access, message: row.message, author: { name: row.name, role: row.role } };
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw messageNotFound();
    throw err;
  }
}
