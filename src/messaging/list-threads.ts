// A user's thread list: the threads they take part in (not left), newest activity first, each with
// its last message preview, unread count from the read pointer and a participants summary.
// Keyset-paginated on the participant row's copy of the thread's activity (activity_at, thread_id):
// the page is a backward walk of idx_participants_user_activity that stops after the page, so a
// user in 5,000 threads pays what one in 200 does (filters are checked along the walk). Every
// per-thread figure is a bounded subquery computed for the page's rows only: the unread count stops
// at its cap, the preview reads one row by (thread_id, seq).
import { and, desc, eq, gt, isNotNull, isNull, sql, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';

import {
  classes,
  messageAttachments,
  messageMentions,
  messageParticipants,
  messageThreads,
  messages,
  users,
} from '@/db/schema';
import { likePattern } from '@/platform/sql';
import { decodeCursor, encodeCursor, ZCursor } from './cursor';
import {
  iso,
  isoOrNull,
  threadKind,
  ZThreadSummary,
  type TParticipantBrief,
  type TThreadSummary,
} from './dto';
import { validText, ZBooleanParam, ZId } from './ids';
import { MAX_PAGE_SIZE, THREAD_PAGE_SIZE, UNREAD_COUNT_CAP } from './limits';
import { hasUnreadSql, unreadCountSql } from './count-unread';
import type { MessagingContext } from './context';
import { seesThroughParticipant } from './visibility';

export { THREAD_PAGE_SIZE };
const PREVIEW_CHARS = 160;

export const ZListThreadsQuery = z.object({
  type: z.enum(['DIRECT', 'CLASS']).optional(),
  classId: ZId.optional(),
  /** Only threads with unread messages. */
  unread: ZBooleanParam.optional(),
  /** true: only archived threads; default: only threads not archived. */
  archived: ZBooleanParam.optional(),
  /** Case-insensitive search over thread titles, class names and participant names. */
  q: validText(z.string().trim().max(100)).optional(),
  cursor: ZCursor.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(THREAD_PAGE_SIZE),
});
export type TListThreadsQuery = z.input<typeof ZListThreadsQuery>;

export const ZThreadPage = z
  .object({ threads: z.array(ZThreadSummary), nextCursor: z.string().nullable() })
  .meta({ id: 'ThreadPage' });
export type TThreadPage = z.infer<typeof ZThreadPage>;

export interface TListThreadsOptions extends Omit<
  TListThreadsQuery,
  'unread' | 'archived' | 'limit' | 'cursor'
> {
  userId: string;
  cursor?: string | null;
  unread?: boolean;
  archived?: boolean;
  limit?: number;
  /** Restrict to these threads (get-thread reads one summary through the same query). */
  threadIds?: string[];
}

export async function listThreads(ctx: MessagingContext, opts: TListThreadsOptions): Promise<TThreadPage> {
  const { db } = ctx;
  const pageSize = Math.min(Math.max(Math.trunc(opts.limit ?? THREAD_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const after = decodeCursor(opts.cursor);
  const me = messageParticipants;
  const t = messageThreads;
  const { fields } = summaryFields();

  const q = opts.q?.trim();
  const search = q
    ? sql`(${t.title} ilike ${likePattern(q)} or ${classes.name} ilike ${likePattern(q)} or exists (
        select 1 from ${messageParticipants} sp join ${users} su on su.id = sp.user_id
        where sp.thread_id = ${t.id} and sp.user_id <> ${opts.userId} and su.name ilike ${likePattern(q)}))`
    : undefined;

  const rows = await db
    .select(fields)
    .from(me)
    .innerJoin(t, eq(t.id, me.threadId))
    .leftJoin(classes, eq(classes.id, t.classId))
    .where(
      and(
        seesThroughParticipant(opts.userId),
        opts.threadIds
          ? sql`${me.threadId} in ${opts.threadIds.length ? opts.threadIds : ['']}`
          : opts.archived
            ? isNotNull(me.archivedAt)
            : isNull(me.archivedAt),
        opts.type ? eq(t.type, opts.type) : undefined,
        opts.classId ? eq(t.classId, opts.classId) : undefined,
        opts.unread
          ? and(gt(t.lastMessageSeq, me.lastReadSeq), hasUnreadSql(t.id, me.userId, me.lastReadSeq))
          : undefined,
        search,
        after
          ? sql`(${me.activityAt}, ${me.threadId}) < (${after.at.toISOString()}::timestamptz, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(desc(me.activityAt), desc(me.threadId))
    .limit(pageSize + 1);

  const page = rows.slice(0, pageSize);
  const tail = page.at(-1);
  return {
    threads: page.map(toSummary),
    nextCursor: rows.length > pageSize && tail ? encodeCursor({ at: tail.sortAt, id: tail.thread.id }) : null,
  };
}

/**
 * Threads as each of their current participants sees them: what a live `thread-updated` carries to
 * every participant's thread list after a change. Two statements for any number of threads (a
 * realtime round's worth): the threads' own facts once each, then only the read state per
 * participant, so a class of 300 costs one light row each. Both take the ids as one array
 * parameter, so the statement text is the same whatever their number (one prepared plan).
 */
export async function threadSummariesForParticipants(
  ctx: MessagingContext,
  threadIds: readonly string[],
): Promise<Array<{ threadId: string; userId: string; summary: TThreadSummary }>> {
  if (threadIds.length === 0) return [];
  const { db } = ctx;
  const me = messageParticipants;
  const t = messageThreads;
  const shared = threadFields();
  const ids = sql`${sql.param([...threadIds])}::text[]`;
  const bases = await db
    .select({
      thread: t,
      className: classes.name,
      classCode: classes.code,
      activityAt: shared.activity,
      last: shared.last,
      participantCount: shared.participantCount,
      // One more than a viewer shows, so each can drop themselves and still have three.
      participants: participantsSql(undefined, 4),
    })
    .from(t)
    .leftJoin(classes, eq(classes.id, t.classId))
    .where(sql`${t.id} = any(${ids})`);
  if (bases.length === 0) return [];
  const byThread = new Map(bases.map((base) => [base.thread.id, base]));
  const viewers = await db
    .select({
      threadId: me.threadId,
      userId: me.userId,
      muted: me.muted,
      archivedAt: me.archivedAt,
      lastReadSeq: me.lastReadSeq,
      unreadCount: unreadCountSql(me.threadId, me.userId, me.lastReadSeq, t.lastMessageSeq),
      unreadMentions: unreadMentionsSql(me.threadId, me.userId, me.lastReadSeq),
    })
    .from(me)
    // Joined so that drizzle qualifies the columns: inside the count's subquery a bare thread_id
    // would mean the message's own.
    .innerJoin(t, eq(t.id, me.threadId))
    .where(and(sql`${me.threadId} = any(${ids})`, isNull(me.leftAt)));
  return viewers.flatMap(({ threadId, ...v }) => {
    const base = byThread.get(threadId);
    if (!base) return [];
    return [
      {
        threadId,
        userId: v.userId,
        summary: toSummary({
          ...base,
          ...v,
          participants: (base.participants ?? []).filter((p) => p.id !== v.userId).slice(0, 3),
        }),
      },
    ];
  });
}

/** Mentions of the viewer past their read pointer, walked on (user_id, thread_id, seq) and capped. */
function unreadMentionsSql(threadId: SQLWrapper, userId: SQLWrapper, lastReadSeq: SQLWrapper) {
  return sql<number>`(select count(*) from (select 1 from ${messageMentions} mm
      where mm.user_id = ${userId} and mm.thread_id = ${threadId} and mm.seq > ${lastReadSeq}
      limit ${UNREAD_COUNT_CAP}) capped)`.mapWith(Number);
}

/** The viewer-independent parts of a summary. */
function threadFields() {
  const t = messageThreads;
  return {
    activity: sql<Date>`coalesce(${t.lastMessageAt}, ${t.createdAt})`.mapWith(t.createdAt),
    participantCount: sql<number>`(select count(*) from ${messageParticipants} p
      where p.thread_id = ${t.id} and p.left_at is null)`.mapWith(Number),
    // A scalar subquery rather than a lateral join, so it is evaluated after the sort and limit:
    // only for the rows of the page, not for every thread the user is in.
    last: sql<TLastMessageRow | null>`(select json_build_object(
        'id', lm.id, 'senderId', lm.sender_id, 'senderName', ls.name,
        'preview', case when lm.content <> '' then left(lm.content, ${PREVIEW_CHARS})
          else coalesce((select case when count(*) = 1 then 'Attachment: ' || min(ma.filename)
              else 'Attachments: ' || count(*) || ' files' end
            from ${messageAttachments} ma where ma.message_id = lm.id having count(*) > 0), '') end,
        'createdAt', lm.created_at)
      from ${messages} lm join ${users} ls on ls.id = lm.sender_id
      where lm.thread_id = ${t.id} and lm.deleted_at is null
      order by lm.seq desc limit 1)`,
  };
}

/** Other participants, instructors first, then by join order: for DIRECT threads, the one other person. */
function participantsSql(excludeUserId: SQLWrapper | undefined, limit: number) {
  const t = messageThreads;
  return sql<TParticipantBrief[]>`(select coalesce(json_agg(x), '[]'::json) from (
      select u.id, u.name, u.role from ${messageParticipants} p join ${users} u on u.id = p.user_id
      where p.thread_id = ${t.id} and p.left_at is null ${excludeUserId ? sql`and p.user_id <> ${excludeUserId}` : sql``}
      order by (u.role = 'STUDENT'), p.joined_at, u.id limit ${limit}) x)`;
}

/** The columns of a summary, for the viewer on each participant row (me). */
function summaryFields() {
  const me = messageParticipants;
  const t = messageThreads;
  const { activity, participantCount, last } = threadFields();
  return {
    fields: {
      userId: me.userId,
      /** The sort key and the cursor's: the participant row's copy of activityAt. */
      sortAt: me.activityAt,
      thread: t,
      className: classes.name,
      classCode: classes.code,
      activityAt: activity,
      muted: me.muted,
      archivedAt: me.archivedAt,
      lastReadSeq: me.lastReadSeq,
      last,
      unreadCount: unreadCountSql(t.id, me.userId, me.lastReadSeq, t.lastMessageSeq),
      unreadMentions: unreadMentionsSql(t.id, me.userId, me.lastReadSeq),
      participantCount,
      participants: participantsSql(me.userId, 3),
    },
  };
}

interface TSummaryRow {
  thread: typeof messageThreads.$inferSelect;
  className: string | null;
  classCode: string | null;
  activityAt: Date;
  muted: boolean;
  archivedAt: Date | null;
  lastReadSeq: number;
  last: TLastMessageRow | null;
  unreadCount: number;
  unreadMentions: number;
  participantCount: number;
  participants: TParticipantBrief[] | null;
}

function toSummary(r: TSummaryRow): TThreadSummary {
  const others = r.participants ?? [];
  return {
    id: r.thread.id,
    type: r.thread.type,
    kind: threadKind(r.thread),
    title: r.thread.title,
    classId: r.thread.classId,
    createdById: r.thread.createdById,
    studentsCanReply: r.thread.studentsCanReply,
    lastMessageSeq: r.thread.lastMessageSeq,
    lastMessageAt: isoOrNull(r.thread.lastMessageAt),
    createdAt: iso(r.thread.createdAt),
    displayTitle:
      r.thread.type === 'DIRECT'
        ? (others[0]?.name ?? 'Direct message')
        : (r.thread.title ?? (r.className ? `${r.className} announcements` : 'Class thread')),
    className: r.className,
    classCode: r.classCode,
    activityAt: iso(r.activityAt),
    lastMessage: lastMessageOf(r.last),
    unreadCount: r.unreadCount,
    unreadMentions: r.unreadMentions,
    lastReadSeq: r.lastReadSeq,
    participantCount: r.participantCount,
    participants: others,
    muted: r.muted,
    archived: r.archivedAt !== null,
  };
}

interface TLastMessageRow {
  id: string;
  senderId: string;
  senderName: string;
  preview: string;
  createdAt: string;
}

/** json values arrive parsed (node-postgres and PGlite alike); only the timestamp needs a type. */
function lastMessageOf(row: TLastMessageRow | null): TThreadSummary['lastMessage'] {
  return row ? { ...row, createdAt: iso(row.createdAt) } : null;
}
