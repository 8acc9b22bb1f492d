import Link from 'next/link';
import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { getDb } from '@/db';
import { cursorParam } from '@/messaging/cursor';
import { listThreads } from '@/messaging/list-threads';
import { Notice, PageHeader } from '@/ui/PageHeader';
import { firstParam, type SearchParams } from '@/ui/params';
import { ThreadListSection } from '@/ui/ThreadListSection';

export const metadata: Metadata = { title: 'Messages' };

const COMPOSE_LABELS: Record<string, string> = {
  direct: 'a direct message',
  class: 'a class announcement',
};

export default async function InstructorMessagesPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePageUser('instructor', '/instructor/messages');
  const params = await searchParams;
  const cursor = cursorParam(firstParam(params.cursor));
  const compose = firstParam(params.compose);

  const db = await getDb();
  const { threads, nextCursor } = await listThreads(db, { userId: user.id, cursor });

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

        <ThreadListSection
          threads={threads}
          viewerId={user.id}
          basePath="/instructor/messages"
          cursor={cursor}
          nextCursor={nextCursor}
          emptyText="Conversations with your students and your class announcements will appear here."
        />
      </div>
    </>
  );
}
