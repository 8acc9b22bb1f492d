// Who sees what, written once: a user sees a thread, and every message in it, while they are one of
// its participants and have not left it (the guide's verifyMessageAccess). The thread list, the
// message pages (through verifyMessageAccess) and search all build on these two fragments, so the
// rule cannot drift between them. A student who leaves a class is marked left in its threads, and
// from then on sees nothing of them anywhere.
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { messageParticipants, messageThreads } from '@/db/schema';

/** True on the participant rows through which `userId` sees their thread. */
export function seesThroughParticipant(userId: string | SQL): SQL {
  return and(eq(messageParticipants.userId, userId), isNull(messageParticipants.leftAt))!;
}

/**
 * The ids of the threads `userId` sees (optionally only those meeting `threadConditions` on the
 * thread, aliased t), as a subquery: a walk of idx_participants_user_thread, so it
 * costs the user's own threads and never a scan of every thread.
 */
export function visibleThreadIds(userId: string, threadConditions?: SQL): SQL {
  if (!threadConditions) {
    return sql`select ${messageParticipants.threadId} from ${messageParticipants}
      where ${seesThroughParticipant(userId)}`;
  }
  // Narrowed by conditions on the thread, aliased t: one primary-key probe per visible thread.
  return sql`select ${messageParticipants.threadId} from ${messageParticipants}
    join ${messageThreads} t on t.id = ${messageParticipants.threadId}
    where ${seesThroughParticipant(userId)} and ${threadConditions}`;
}
