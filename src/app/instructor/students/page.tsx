import Link from 'next/link';
import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { getAppServices } from '@/server/services';
import { listInstructorStudents } from '@/classroom/instructor-queries';
import { Badge } from '@/ui/Badge';
import { primaryButton } from '@/ui/buttons';
import { DataTable, emailColumn, NameCell } from '@/ui/DataTable';
import { Email } from '@/ui/Email';
import { EmptyState } from '@/ui/EmptyState';
import { MessageLink } from '@/ui/MessageLink';
import { PageHeader } from '@/ui/PageHeader';
import { Pagination, rangeSummary } from '@/ui/Pagination';
import { firstParam, hrefWith, parsePage, type SearchParams } from '@/ui/params';

export const metadata: Metadata = { title: 'Students' };

export default async function StudentsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePageUser('instructor', '/instructor/students');
  const params = await searchParams;
  const q = (firstParam(params.q) ?? '').trim().slice(0, 100);
  const page = parsePage(params.page);

  const ctx = await getAppServices();
  const result = await listInstructorStudents(ctx, { userId: user.id, query: q, page });
  const link = (p: number) => hrefWith('/instructor/students', { q, page: p > 1 ? p : undefined });

  return (
    <>
      <PageHeader title="Students" description="Everyone currently enrolled in the classes you teach." />

      <form
        role="search"
        aria-label="Students"
        action="/instructor/students"
        method="get"
        className="mb-4 flex flex-wrap items-end gap-2"
      >
        <div className="min-w-0 flex-1 basis-56">
          <label htmlFor="student-search" className="block text-sm font-medium text-slate-800">
            Search by name or email
          </label>
          <input
            id="student-search"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={100}
            autoComplete="off"
            className="mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2 text-base text-slate-900 shadow-sm sm:text-sm"
          />
        </div>
        <button type="submit" className={primaryButton}>
          Search
        </button>
        {q ? (
          <Link
            href="/instructor/students"
            className="rounded px-2 py-2 text-sm font-medium text-brand-700 underline underline-offset-2"
          >
            Clear search
          </Link>
        ) : null}
      </form>

      <section aria-labelledby="students-heading">
        <h2 id="students-heading" className="sr-only">
          {q ? `Students matching “${q}”` : 'All students'}
        </h2>
        {result.total === 0 ? (
          q ? (
            <EmptyState title="No matching students">
              No student in your classes has a name or email containing “{q}”.
            </EmptyState>
          ) : (
            <EmptyState title="No students yet">
              Students enrolled in your classes will be listed here.
            </EmptyState>
          )
        ) : (
          <>
            <DataTable
              caption={q ? `Students matching “${q}”` : 'Students in your classes'}
              columns={[{ label: 'Name' }, emailColumn, { label: 'Classes' }, { label: 'Actions' }]}
              rows={result.rows.map((s) => ({
                key: s.id,
                cells: [
                  <NameCell key="n" name={s.name} email={s.email} />,
                  <Email key="e" address={s.email} />,
                  <ul key="c" className="flex flex-wrap gap-1" aria-label={`Classes of ${s.name}`}>
                    {s.classes.map((c) => (
                      <li key={c.id}>
                        <Badge>
                          <span title={c.name}>{c.code}</span>
                          <span className="sr-only"> {c.name}</span>
                        </Badge>
                      </li>
                    ))}
                  </ul>,
                  <MessageLink
                    key="m"
                    href={`/instructor/messages?to=${encodeURIComponent(s.id)}`}
                    name={s.name}
                  />,
                ],
              }))}
            />
            <Pagination
              label="Student pages"
              summary={rangeSummary(result.page, result.pageSize, result.rows.length, result.total)}
              previous={result.page > 1 ? { href: link(result.page - 1), label: 'Previous' } : null}
              next={result.page < result.pageCount ? { href: link(result.page + 1), label: 'Next' } : null}
            />
          </>
        )}
      </section>
    </>
  );
}
