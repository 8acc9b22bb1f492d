import Link from 'next/link';
import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { getClassRoster, listInstructorClasses } from '@/classroom/instructor-queries';
import { listBatches } from '@/messaging/batch-rollup';
import { MAX_BATCH_RECIPIENTS } from '@/messaging/limits';
import { getAppServices } from '@/server/services';
import { EmptyState } from '@/ui/EmptyState';
import { PageHeader } from '@/ui/PageHeader';
import { firstParam, hrefWith, type SearchParams } from '@/ui/params';
import { SendIndividuallyForm } from '@/ui/messages/individual/SendIndividuallyForm';
import { truncate } from '@/ui/format';

export const metadata: Metadata = { title: 'Send individually' };

export default async function SendIndividuallyPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePageUser('instructor', '/instructor/messages/individual');
  const params = await searchParams;
  const ctx = await getAppServices();
  const [classList, batches] = await Promise.all([
    listInstructorClasses(ctx, { userId: user.id }),
    listBatches(ctx.db, { userId: user.id }),
  ]);
  const selected = classList.find((c) => c.id === firstParam(params.classId)) ?? classList[0];
  const roster = selected
    ? await getClassRoster(ctx, { userId: user.id, classId: selected.id, pageSize: MAX_BATCH_RECIPIENTS })
    : null;

  return (
    <>
      <PageHeader
        title="Send individually"
        description="The same message to each student, in their own conversation with you, then see who has read it and who has replied."
      />
      {!selected ? (
        <EmptyState title="You aren't teaching any classes yet">
          Once you teach a class, you can message its students one by one from here.
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,20rem)]">
          <section aria-labelledby="send-heading" className="min-w-0 space-y-4">
            <h2 id="send-heading" className="sr-only">
              New individual message
            </h2>
            <nav aria-label="Classes" className="flex flex-wrap gap-2">
              {classList.map((c) => (
                <Link
                  key={c.id}
                  href={hrefWith('/instructor/messages/individual', { classId: c.id })}
                  aria-current={c.id === selected.id ? 'page' : undefined}
                  className={`rounded-full px-3 py-1 text-sm font-medium ${
                    c.id === selected.id
                      ? 'bg-brand-700 text-white'
                      : 'bg-slate-100 text-slate-800 hover:bg-slate-200'
                  }`}
                >
                  {c.code} · {c.name}
                </Link>
              ))}
            </nav>
            {roster && roster.rows.length > 0 ? (
              <SendIndividuallyForm
                key={selected.id}
                classId={selected.id}
                students={roster.rows.map((r) => ({ id: r.studentId, name: r.name }))}
                initialChosen={[params.to ?? []].flat()}
              />
            ) : (
              <EmptyState title="No students enrolled">
                Nobody is enrolled in {selected.name} right now.
              </EmptyState>
            )}
          </section>
          <section aria-labelledby="recent-heading" className="min-w-0">
            <h2 id="recent-heading" className="mb-2 text-lg font-semibold text-slate-900">
              Recent individual sends
            </h2>
            {batches.length === 0 ? (
              <p className="text-sm text-slate-600">Nothing sent individually yet.</p>
            ) : (
              <ul className="space-y-2">
                {batches.map((b) => (
                  <li key={b.id}>
                    <Link
                      href={`/instructor/messages/individual/${encodeURIComponent(b.id)}`}
                      className="block rounded-xl border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm hover:border-brand-600"
                    >
                      <span className="block font-medium text-slate-900">
                        {b.nudgeThreadId ? 'Reminder: ' : ''}
                        {truncate(b.content, 80)}
                      </span>
                      <span className="text-xs text-slate-600">
                        {b.counts.read} of {b.counts.sent} read · {b.counts.replied} replied
                        {b.counts.skipped ? ` · ${b.counts.skipped} skipped` : ''}
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </>
  );
}
