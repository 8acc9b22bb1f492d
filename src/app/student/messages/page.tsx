import Link from 'next/link';
import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { getDb } from '@/db';
import { listStudentThreads } from '@/student/queries';
import { decodeThreadCursor } from '@/instructor/queries';
import { EmptyState } from '@/ui/EmptyState';
import { Notice, PageHeader } from '@/ui/PageHeader';
import { Pagination } from '@/ui/Pagination';
import { firstParam, hrefWith, type SearchParams } from '@/ui/params';
import { ThreadList } from '@/ui/ThreadList';

export const metadata: Metadata = { title: 'Messages' };

export default async function StudentMessagesPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePageUser('student', '/student/messages');
  // A malformed cursor just means the first page.
  const rawCursor = firstParam((await searchParams).cursor);
  const cursor = decodeThreadCursor(rawCursor) ? rawCursor : undefined;
  const db = await getDb();
  const { threads, nextCursor } = await listStudentThreads(db, { studentId: user.id, cursor });

  return (
    <>
      <PageHeader
        title="Messages"
        description="Messages from your instructors and your classes, newest first."
      />
      <div className="space-y-4">
        <Notice>Live chat arrives in the next release; this list is read from the database.</Notice>
        <section aria-labelledby="threads-heading">
          <h2 id="threads-heading" className="mb-3 text-lg font-semibold text-slate-900">
            {cursor ? 'Older threads' : 'Threads'}
          </h2>
          {threads.length > 0 ? (
            <>
              <ThreadList threads={threads} viewerId={user.id} labelledBy="threads-heading" />
              <Pagination
                label="Thread pages"
                previous={cursor ? { href: '/student/messages', label: 'Newest threads' } : null}
                previousLabel="Newest threads"
                next={
                  nextCursor
                    ? { href: hrefWith('/student/messages', { cursor: nextCursor }), label: 'Older threads' }
                    : null
                }
                nextLabel="Older threads"
              />
            </>
          ) : cursor ? (
            <EmptyState
              title="No older threads"
              action={
                <Link href="/student/messages" className="text-sm font-medium text-brand-700 underline">
                  Back to the newest threads
                </Link>
              }
            />
          ) : (
            <EmptyState title="No messages yet">
              Messages from your instructors and announcements for your classes will appear here.
            </EmptyState>
          )}
        </section>
      </div>
    </>
  );
}
