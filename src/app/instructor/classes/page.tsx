import Link from 'next/link';
import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { getAppServices } from '@/server/services';
import { getClassRoster, listInstructorClasses, MAX_CLASSES } from '@/classroom/instructor-queries';
import { Badge } from '@/ui/Badge';
import { Email } from '@/ui/Email';
import { EmptyState } from '@/ui/EmptyState';
import { MessageLink } from '@/ui/MessageLink';
import { plural } from '@/ui/format';
import { LocalDate } from '@/ui/RelativeTime';
import { Notice, PageHeader } from '@/ui/PageHeader';
import { Pagination, rangeSummary } from '@/ui/Pagination';
import { firstParam, hrefWith, parsePage, type SearchParams } from '@/ui/params';
import { DataTable, emailColumn, NameCell } from '@/ui/DataTable';

export const metadata: Metadata = { title: 'Classes' };

export default async function ClassesPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePageUser('instructor', '/instructor/classes');
  const params = await searchParams;
  const requested = firstParam(params.class);
  const page = parsePage(params.page);

  const ctx = await getAppServices();
  const classList = await listInstructorClasses(ctx, { userId: user.id });
  const selected = classList.find((c) => c.id === requested) ?? classList[0];
  const roster = selected ? await getClassRoster(ctx, { userId: user.id, classId: selected.id, page }) : null;

  return (
    <>
      <PageHeader title="Classes" description="The classes you teach and who is enrolled in them." />

      {classList.length === 0 ? (
        <EmptyState title="You aren't teaching any classes yet">
          Classes you are assigned to as a primary or co-instructor will be listed here.
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,20rem)_minmax(0,1fr)]">
          <section aria-labelledby="class-list-heading" className="min-w-0">
            <h2 id="class-list-heading" className="mb-3 text-lg font-semibold text-slate-900">
              Your classes
            </h2>
            <ul className="space-y-2">
              {classList.map((c) => {
                const isSelected = c.id === selected?.id;
                return (
                  <li key={c.id}>
                    <Link
                      href={hrefWith('/instructor/classes', { class: c.id })}
                      aria-current={isSelected ? 'true' : undefined}
                      className={`block rounded-xl border bg-white px-4 py-3 shadow-sm hover:border-brand-600 ${
                        isSelected ? 'border-brand-600 ring-1 ring-brand-600' : 'border-slate-200'
                      }`}
                    >
                      <span className="flex flex-wrap items-center justify-between gap-2">
                        <span className="font-medium text-slate-900">{c.name}</span>
                        <Badge tone={c.isPrimary ? 'brand' : 'neutral'}>
                          {c.isPrimary ? 'Primary' : 'Co-instructor'}
                        </Badge>
                      </span>
                      <span className="mt-1 flex flex-wrap gap-x-3 text-sm text-slate-600">
                        <span>
                          <span className="sr-only">Code: </span>
                          {c.code}
                        </span>
                        <span>{plural(c.enrolledCount, 'student')} enrolled</span>
                      </span>
                    </Link>
                  </li>
                );
              })}
            </ul>
            {classList.length >= MAX_CLASSES ? (
              <p className="mt-3 text-sm text-slate-600">Showing the first {MAX_CLASSES} classes by name.</p>
            ) : null}
          </section>

          {selected ? (
            <section aria-labelledby="roster-heading" className="min-w-0">
              <h2 id="roster-heading" className="text-lg font-semibold text-slate-900">
                {selected.name} roster
              </h2>
              <p className="mb-3 text-sm text-slate-600">
                {selected.code} · {selected.isPrimary ? 'Primary instructor' : 'Co-instructor'}
                {selected.description ? ` · ${selected.description}` : null}
              </p>
              <div className="mb-3 flex flex-wrap gap-2">
                {selected.isPrimary ? (
                  <MessageLink
                    href={`/instructor/messages?compose=class&classId=${encodeURIComponent(selected.id)}`}
                    name={selected.name}
                    label="Message the class"
                  />
                ) : null}
                <MessageLink
                  href={`/instructor/messages/individual?classId=${encodeURIComponent(selected.id)}`}
                  name={`to each student of ${selected.name}`}
                  label="Send individually"
                />
              </div>
              {requested && requested !== selected.id ? (
                <div className="mb-3">
                  <Notice tone="warning">
                    That class isn&apos;t one of yours, so your first class is shown.
                  </Notice>
                </div>
              ) : null}
              {roster && roster.total > 0 ? (
                <>
                  <DataTable
                    caption={`Students enrolled in ${selected.name}`}
                    columns={[{ label: 'Name' }, emailColumn, { label: 'Enrolled' }, { label: 'Actions' }]}
                    rows={roster.rows.map((s) => ({
                      key: s.studentId,
                      cells: [
                        <NameCell key="n" name={s.name} email={s.email} />,
                        <Email key="e" address={s.email} />,
                        <LocalDate key="d" date={s.enrolledAt.toISOString()} className="whitespace-nowrap" />,
                        <MessageLink
                          key="m"
                          href={`/instructor/messages?to=${encodeURIComponent(s.studentId)}`}
                          name={s.name}
                        />,
                      ],
                    }))}
                  />
                  <Pagination
                    label="Roster pages"
                    summary={rangeSummary(roster.page, roster.pageSize, roster.rows.length, roster.total)}
                    previous={
                      roster.page > 1
                        ? {
                            href: hrefWith('/instructor/classes', {
                              class: selected.id,
                              page: roster.page - 1,
                            }),
                            label: 'Previous',
                          }
                        : null
                    }
                    next={
                      roster.page < roster.pageCount
                        ? {
                            href: hrefWith('/instructor/classes', {
                              class: selected.id,
                              page: roster.page + 1,
                            }),
                            label: 'Next',
                          }
                        : null
                    }
                  />
                </>
              ) : (
                <EmptyState title="No students enrolled">
                  Nobody is enrolled in {selected.name} right now.
                </EmptyState>
              )}
            </section>
          ) : null}
        </div>
      )}
    </>
  );
}
