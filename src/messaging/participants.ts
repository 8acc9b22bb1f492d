// Who is in a thread right now: the audience of its events.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { messageParticipants } from '@/db/schema';

export async function activeParticipantIds(db: Db, threadId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: messageParticipants.userId })
    .from(messageParticipants)
    .where(and(eq(messageParticipants.threadId, threadId), isNull(messageParticipants.leftAt)));
  return rows.map((r) => r.userId);
}
