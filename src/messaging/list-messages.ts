// A thread's messages, keyset-paginated on (created_at, id) in either direction. created_at is
// strictly increasing per thread in commit order (see insertMessage), so a reader paging forward
// while messages arrive sees each one exactly once, and paging back never shifts.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { parseInput } from '@/platform/errors';
import type { Db } from '@/db/client';
import { messageColumns, messages, users } from '@/db/schema';
import { decodeCursor, encodeCursor, ZCursor } from './cursor';
import { MAX_PAGE_SIZE, MESSAGE_PAGE_SIZE } from './limits';
import { ZMessage, toMessageView, type TMessageView } from './dto';
import { attachmentsJson, parseAttachments } from './message-attachments';
import { extrasJson, parseExtras } from './message-extras';
import { messageNotFound, verifyMessageAccess } from './verify-message-access';
import { ZId } from './ids';
import type { MessagingContext } from './context';

export { MESSAGE_PAGE_SIZE };

export const ZListMessagesQuery = z
  .object({
    /** Messages older than this cursor (the page's olderCursor). */
    before: ZCursor.optional(),
    /** Messages newer than this cursor (the page's newerCursor). */
    after: ZCursor.optional(),
    /** The page centred on this message (a search result opened in its conversation). */
    around: ZId.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(MESSAGE_PAGE_SIZE),
  })
  .refine((q) => [q.before, q.after, q.around].filter(Boolean).length <= 1, {
    message: 'Use one of before, after or around.',
    path: ['before'],
  });
export type TListMessagesQuery = z.input<typeof ZListMessagesQuery>;

export const ZMessagePage = z
  .object({
    messages: z.array(ZMessage).describe('Oldest first'),
    olderCursor: z.string().nullable().describe('Pass as `before` for the previous (older) page'),
    newerCursor: z
      .string()
      .nullable()
      .describe('Pass as `after` for what came next; also how to catch up after a gap'),
    hasOlder: z.boolean(),
    hasNewer: z.boolean(),
  })
  .meta({ id: 'MessagePage' });
export type TMessagePage = z.infer<typeof ZMessagePage>;

export async function listMessages(
  ctx: MessagingContext,
  { userId, threadId, query = {} }: { userId: string; threadId: string; query?: TListMessagesQuery },
): Promise<TMessagePage> {
  const { db } = ctx;
  const page = parseInput(ZListMessagesQuery, query);
  await verifyMessageAccess(db, { userId, threadId });
  if (page.around) return readPageAround(db, threadId, page.around, page.limit);
  return readMessagePage(db, threadId, page);
}

/**
 * The page centred on one message of the thread: up to half the page before it, the rest after, with
 * both cursors to page on from there. A message of another thread is NOT_FOUND.
 */
async function readPageAround(
  db: Db,
  threadId: string,
  messageId: string,
  limit: number,
): Promise<TMessagePage> {
  const [row] = await db
    .select({
      message: messageColumns,
      senderName: users.name,
      senderRole: users.role,
      attachments: attachmentsJson(sql`${messages.id}`),
      extras: extrasJson(sql`${messages.id}`, sql`${messages.replyToId}`),
    })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(and(eq(messages.id, messageId), eq(messages.threadId, threadId)))
    .limit(1);
  if (!row) throw messageNotFound();
  const target = toMessageView(
    { ...row.message, attachments: parseAttachments(row.attachments), extras: parseExtras(row.extras) },
    { name: row.senderName, role: row.senderRole },
  );
  const at = encodeCursor({ at: target.createdAt, id: target.id });
  const olderCount = Math.floor((limit - 1) / 2);
  const newerCount = limit - 1 - olderCount;
  // A side with no room still looks one message ahead, only to say whether there is more.
  const older = await readMessagePage(db, threadId, { before: at, limit: Math.max(olderCount, 1) });
  const newer = await readMessagePage(db, threadId, { after: at, limit: Math.max(newerCount, 1) });
  const before = olderCount ? older.messages : [];
  const after = newerCount ? newer.messages : [];
  const list = [...before, target, ...after];
  return {
    messages: list,
    olderCursor: encodeCursor({ at: list[0]!.createdAt, id: list[0]!.id }),
    newerCursor: encodeCursor({ at: list.at(-1)!.createdAt, id: list.at(-1)!.id }),
    hasOlder: olderCount ? older.hasOlder : older.messages.length > 0,
    hasNewer: newerCount ? newer.hasNewer : newer.messages.length > 0,
  };
}

/** For callers that have already checked access (get-thread). */
export async function readMessagePage(
  db: Db,
  threadId: string,
  q: { before?: string; after?: string; limit: number },
): Promise<TMessagePage> {
  const before = decodeCursor(q.before);
  const after = decodeCursor(q.after);
  const forward = !!after;
  const key = sql`(${messages.createdAt}, ${messages.id})`;
  const bound = after
    ? sql`${key} > (${after.at.toISOString()}::timestamptz, ${after.id})`
    : before
      ? sql`${key} < (${before.at.toISOString()}::timestamptz, ${before.id})`
      : undefined;

  const rows = await db
    .select({
      message: messageColumns,
      senderName: users.name,
      senderRole: users.role,
      attachments: attachmentsJson(sql`${messages.id}`),
      extras: extrasJson(sql`${messages.id}`, sql`${messages.replyToId}`),
    })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(and(eq(messages.threadId, threadId), bound))
    .orderBy(
      ...(forward
        ? [asc(messages.createdAt), asc(messages.id)]
        : [desc(messages.createdAt), desc(messages.id)]),
    )
    .limit(q.limit + 1);

  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  if (!forward) page.reverse();
  const list = page.map((r) =>
    toMessageView(
      { ...r.message, attachments: parseAttachments(r.attachments), extras: parseExtras(r.extras) },
      { name: r.senderName, role: r.senderRole },
    ),
  );
  const first = list[0];
  const last = list.at(-1);
  const cursorOf = (m: TMessageView | undefined) => (m ? encodeCursor({ at: m.createdAt, id: m.id }) : null);
  return {
    messages: list,
    olderCursor: cursorOf(first) ?? q.after ?? null,
    newerCursor: cursorOf(last) ?? q.after ?? q.before ?? null,
    hasOlder: forward ? true : more,
    hasNewer: forward ? more : !!before,
  };
}
