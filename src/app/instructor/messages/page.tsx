import Link from 'next/link';
import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { getDb } from '@/db';
import { decodeThreadCursor, listThreadsForUser } from '@/instructor/queries';
import { EmptyState } from '@/ui/EmptyState';
import { Notice, PageHeader } from '@/ui/PageHeader';
import { Pagination } from '@/ui/Pagination';
import { firstParam, hrefWith, type SearchParams } from '@/ui/params';
import { ThreadList } from '@/ui/ThreadList';

export const metadata: Metadata = { title: 'Messages' };

const COMPOSE_LABELS: Record<string, string> = {
  direct: 'a direct message',
  class: 'a class announcement',
};

export default async function InstructorMessagesPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePageUser('instructor', '/instructor/messages');
  const params = await searchParams;
  // A malformed cursor just means the first page.
  const rawCursor = firstParam(params.cursor);
  const cursor = decodeThreadCursor(rawCursor) ? rawCursor : undefined;
  const compose = firstParam(params.compose);

  const db = await getDb();
  const { threads, nextCursor } = await listThreadsForUser(db, { userId: user.id, cursor });

  return (
    <>
      <PageHeader
        title="Messages"
        description="Your direct conversations and class threads, newest activity first."
      />

      <div className="space-y-4">
        {compose ? (
          <section
            aria-labelledby="compose-heading"
            className="rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
          >
            <h2 id="compose-heading" className="font-semibold">
              Writing {COMPOSE_LABELS[compose] ?? 'a message'}
            </h2>
            <p className="mt-1">
              Composing will be available with live chat in the next release.{' '}
              <Link href="/instructor/messages" className="font-medium underline underline-offset-2">
                Close
              </Link>
            </p>
          </section>
        ) : null}

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
                previous={cursor ? { href: '/instructor/messages', label: 'Newest threads' } : null}
                previousLabel="Newest threads"
                next={
                  nextCursor
                    ? {
                        href: hrefWith('/instructor/messages', { cursor: nextCursor }),
                        label: 'Older threads',
                      }
                    : null
                }
                nextLabel="Older threads"
              />
            </>
          ) : cursor ? (
            <EmptyState
              title="No older threads"
              action={
                <Link href="/instructor/messages" className="text-sm font-medium text-brand-700 underline">
                  Back to the newest threads
                </Link>
              }
            />
          ) : (
            <EmptyState title="No messages yet">
              Conversations with your students and your class announcements will appear here.
            </EmptyState>
          )}
        </section>
      </div>
    </>
  );
}
