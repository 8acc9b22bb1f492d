// One thread as its participant sees it: the list row (preview, unread, settings), who is in it
// with their read pointers ("Seen by N of M"), what the viewer may do, and the newest messages.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';

import { messageParticipants, users } from '@/db/schema';
import { iso, isoOrNull, ZDate, ZParticipantBrief, ZThreadSummary } from './dto';
import { readMessagePage, ZMessagePage, MESSAGE_PAGE_SIZE } from './list-messages';
import { listThreads } from './list-threads';
import { DOMAIN_ERRORS, domainError } from './errors';
import { canRename, POST_BLOCKED_REASONS, postBlockedReason } from './policies';
import { verifyMessageAccess } from './verify-message-access';
import type { MessagingContext } from './context';

/** Class threads list at most this many participants; participantCount has the full figure. */
export const MAX_LISTED_PARTICIPANTS = 500;

export const ZThreadDetail = z
  .object({
    thread: ZThreadSummary,
    participants: z.array(
      ZParticipantBrief.extend({
        joinedAt: ZDate,
        lastReadSeq: z.number().int(),
        lastReadAt: ZDate.nullable(),
      }),
    ),
    permissions: z.object({
      canPost: z.boolean(),
      postBlockedReason: z
        .enum(POST_BLOCKED_REASONS)
        .nullable()
        .describe('Why posting is refused, as a code to show before anyone types'),
      postBlockedMessage: z.string().nullable(),
      canRename: z.boolean(),
      canModerate: z
        .boolean()
        .describe('A primary instructor may delete anyone’s messages in their class threads'),
    }),
    messages: ZMessagePage,
  })
  .meta({ id: 'ThreadDetail' });
export type TThreadDetail = z.infer<typeof ZThreadDetail>;

export async function getThread(
  ctx: MessagingContext,
  { userId, threadId, limit = MESSAGE_PAGE_SIZE }: { userId: string; threadId: string; limit?: number },
): Promise<TThreadDetail> {
  const { db } = ctx;
  const access = await verifyMessageAccess(db, { userId, threadId });
  const [summary, participants, page] = await Promise.all([
    listThreads({ db }, { userId, threadIds: [threadId], limit: 1 }),
    db
      .select({
        id: users.id,
        name: users.name,
        role: users.role,
        joinedAt: messageParticipants.joinedAt,
        lastReadSeq: messageParticipants.lastReadSeq,
        lastReadAt: messageParticipants.lastReadAt,
      })
      .from(messageParticipants)
      .innerJoin(users, eq(users.id, messageParticipants.userId))
      .where(and(eq(messageParticipants.threadId, threadId), isNull(messageParticipants.leftAt)))
      .orderBy(sql`(${users.role} = 'STUDENT')`, asc(users.name), asc(users.id))
      .limit(MAX_LISTED_PARTICIPANTS),
    readMessagePage(db, threadId, { limit }),
  ]);
  const thread = summary.threads[0];
  if (!thread) throw domainError('THREAD_NOT_FOUND');
  const blocked = postBlockedReason(access.thread, access.actor);
  return {
    thread,
    participants: participants.map((p) => ({
      ...p,
      joinedAt: iso(p.joinedAt),
      lastReadAt: isoOrNull(p.lastReadAt),
    })),
    permissions: {
      canPost: blocked === null,
      postBlockedReason: blocked,
      postBlockedMessage: blocked ? DOMAIN_ERRORS[blocked].message : null,
      canRename: canRename(access.thread, access.actor),
      canModerate: access.thread.type === 'CLASS' && access.actor.isPrimaryInstructor,
    },
    messages: page,
  };
}
