import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { getDb } from '@/db';
import { listThreads } from '@/messaging/list-threads';
import { cursorParam } from '@/messaging/cursor';
import { Notice, PageHeader } from '@/ui/PageHeader';
import { firstParam, type SearchParams } from '@/ui/params';
import { ThreadListSection } from '@/ui/ThreadListSection';

export const metadata: Metadata = { title: 'Messages' };

export default async function StudentMessagesPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePageUser('student', '/student/messages');
  const cursor = cursorParam(firstParam((await searchParams).cursor));
  const db = await getDb();
  const { threads, nextCursor } = await listThreads(db, { userId: user.id, cursor });

  return (
    <>
      <PageHeader
        title="Messages"
        description="Messages from your instructors and your classes, newest first."
      />
      <div className="space-y-4">
        <Notice>Live chat arrives in the next release; this list is read from the database.</Notice>
        <ThreadListSection
          threads={threads}
          viewerId={user.id}
          basePath="/student/messages"
          cursor={cursor}
          nextCursor={nextCursor}
          emptyText="Messages from your instructors and announcements for your classes will appear here."
        />
      </div>
    </>
  );
}
