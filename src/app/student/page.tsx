import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { getAppServices } from '@/server/services';
import { listStudentClasses } from '@/classroom/student-queries';
import { MAX_CLASSES } from '@/classroom/instructor-queries';
import { EmptyState } from '@/ui/EmptyState';
import { MessageLink } from '@/ui/MessageLink';
import { LocalDate } from '@/ui/RelativeTime';
import { PageHeader } from '@/ui/PageHeader';

export const metadata: Metadata = { title: 'My classes' };

function instructorLine(instructors: { name: string; isPrimary: boolean }[]): string {
  if (instructors.length === 0) return 'No instructor assigned yet';
  return instructors
    .map((i) => (i.isPrimary && instructors.length > 1 ? `${i.name} (primary)` : i.name))
    .join(', ');
}

export default async function StudentHomePage() {
  const user = await requirePageUser('student', '/student');
  const ctx = await getAppServices();
  const classList = await listStudentClasses(ctx, { userId: user.id });

  return (
    <>
      <PageHeader title="My classes" description="The classes you are enrolled in and who teaches them." />
      {classList.length === 0 ? (
        <EmptyState title="You aren't enrolled in any classes">
          When an instructor enrolls you in a class, it will appear here.
        </EmptyState>
      ) : (
        <>
          <ul className="grid gap-4 sm:grid-cols-2" aria-label="Your classes">
            {classList.map((c) => (
              <li key={c.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
                <h2 className="text-base font-semibold text-slate-900">{c.name}</h2>
                <p className="text-sm text-slate-600">
                  <span className="sr-only">Code: </span>
                  {c.code}
                </p>
                {c.description ? <p className="mt-2 text-sm text-slate-700">{c.description}</p> : null}
                <dl className="mt-3 space-y-1 text-sm">
                  <div className="flex flex-wrap gap-x-1">
                    <dt className="font-medium text-slate-600">
                      {c.instructors.length === 1 ? 'Instructor:' : 'Instructors:'}
                    </dt>
                    <dd className="text-slate-900">{instructorLine(c.instructors)}</dd>
                  </div>
                  <div className="flex flex-wrap gap-x-1">
                    <dt className="font-medium text-slate-600">Enrolled:</dt>
                    <dd className="text-slate-900">
                      <LocalDate date={c.enrolledAt.toISOString()} />
                    </dd>
                  </div>
                </dl>
                {c.instructors.length > 0 ? (
                  <div className="mt-3 flex flex-wrap gap-2">
                    {c.instructors.map((i) => (
                      <MessageLink
                        key={i.id}
                        href={`/student/messages?to=${encodeURIComponent(i.id)}`}
                        name={i.name}
                        label={c.instructors.length === 1 ? 'Message instructor' : `Message ${i.name}`}
                      />
                    ))}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
          {classList.length >= MAX_CLASSES ? (
            <p className="mt-3 text-sm text-slate-600">Showing the first {MAX_CLASSES} classes by name.</p>
          ) : null}
        </>
      )}
    </>
  );
}
