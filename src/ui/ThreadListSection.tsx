// A page of the viewer's threads with keyset pagination and its empty states; shared by the
// instructor's and the student's messages pages.
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { TThreadSummary } from '@/messaging/dto';
import { EmptyState } from './EmptyState';
import { Pagination } from './Pagination';
import { hrefWith } from './params';
import { ThreadList } from './ThreadList';

export function ThreadListSection({
  threads,
  viewerId,
  basePath,
  cursor,
  nextCursor,
  emptyText,
}: {
  threads: TThreadSummary[];
  viewerId: string;
  basePath: string;
  cursor: string | undefined;
  nextCursor: string | null;
  emptyText: ReactNode;
}) {
  return (
    <section aria-labelledby="threads-heading">
      <h2 id="threads-heading" className="mb-3 text-lg font-semibold text-slate-900">
        {cursor ? 'Older threads' : 'Threads'}
      </h2>
      {threads.length > 0 ? (
        <>
          <ThreadList threads={threads} viewerId={viewerId} labelledBy="threads-heading" />
          <Pagination
            label="Thread pages"
            previous={cursor ? { href: basePath, label: 'Newest threads' } : null}
            previousLabel="Newest threads"
            next={
              nextCursor ? { href: hrefWith(basePath, { cursor: nextCursor }), label: 'Older threads' } : null
            }
            nextLabel="Older threads"
          />
        </>
      ) : cursor ? (
        <EmptyState
          title="No older threads"
          action={
            <Link href={basePath} className="text-sm font-medium text-brand-700 underline">
              Back to the newest threads
            </Link>
          }
        />
      ) : (
        <EmptyState title="No messages yet">{emptyText}</EmptyState>
      )}
    </section>
  );
}
