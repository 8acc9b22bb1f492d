import Link from 'next/link';
import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { getAppServices } from '@/server/services';
import { getInstructorDashboardStats } from '@/classroom/instructor-queries';
import { listThreads } from '@/messaging/list-threads';
import { primaryButton, secondaryButton } from '@/ui/buttons';
import { Card } from '@/ui/Card';
import { PageHeader } from '@/ui/PageHeader';
import { LiveRecentThreads, LiveStats } from '@/ui/messages/LiveDashboard';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const user = await requirePageUser('instructor', '/instructor/dashboard');
  const ctx = await getAppServices();
  const [stats, recent] = await Promise.all([
    getInstructorDashboardStats(ctx, { userId: user.id }),
    listThreads(ctx, { userId: user.id, limit: 5 }),
  ]);
  const firstName = user.name.split(/\s+/)[0] ?? user.name;

  return (
    <>
      <PageHeader
        title="Dashboard"
        description={`Welcome back, ${firstName}. Here is your messaging at a glance.`}
      />

      <section aria-labelledby="overview-heading">
        <h2 id="overview-heading" className="sr-only">
          Overview
        </h2>
        <LiveStats initial={stats} threadIds={recent.threads.map((t) => t.id)} />
      </section>

      <div className="mt-8 grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <section aria-labelledby="recent-heading" className="min-w-0">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <h2 id="recent-heading" className="text-lg font-semibold text-slate-900">
              Recent threads
            </h2>
            <Link
              href="/instructor/messages"
              className="rounded text-sm font-medium text-brand-700 underline-offset-2 hover:underline"
            >
              All messages
            </Link>
          </div>
          <LiveRecentThreads initial={recent.threads} labelledBy="recent-heading" />
        </section>

        <Card title="Quick actions" titleId="quick-actions-heading" className="self-start">
          <ul className="flex flex-col gap-2">
            <li>
              <Link href="/instructor/messages?compose=direct" className={`${primaryButton} w-full`}>
                New direct message
              </Link>
            </li>
            <li>
              <Link href="/instructor/messages?compose=class" className={`${secondaryButton} w-full`}>
                New class thread
              </Link>
            </li>
            <li>
              <Link href="/instructor/classes" className={`${secondaryButton} w-full`}>
                View classes
              </Link>
            </li>
            <li>
              <Link href="/instructor/students" className={`${secondaryButton} w-full`}>
                View students
              </Link>
            </li>
          </ul>
        </Card>
      </div>
    </>
  );
}
