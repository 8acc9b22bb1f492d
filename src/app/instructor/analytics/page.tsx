import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { getAppServices } from '@/server/services';
import { getInstructorMessagingAnalytics } from '@/classroom/instructor-queries';
import { StatCard, StatGrid } from '@/ui/Card';
import { PageHeader } from '@/ui/PageHeader';

export const metadata: Metadata = { title: 'Analytics' };

export default async function AnalyticsPage() {
  const user = await requirePageUser('instructor', '/instructor/analytics');
  const ctx = await getAppServices();
  const a = await getInstructorMessagingAnalytics(ctx, { userId: user.id });
  const totalThreads = a.threadsByType.DIRECT + a.threadsByType.CLASS;

  return (
    <>
      <PageHeader
        title="Analytics"
        description="Messaging activity, counted from your threads in the database."
      />

      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Messages
        </h2>
        <StatGrid className="lg:grid-cols-3">
          <StatCard testId="stat-sent-7d" label="Sent in the last 7 days" value={a.sentLast7Days} />
          <StatCard testId="stat-sent-30d" label="Sent in the last 30 days" value={a.sentLast30Days} />
          <StatCard
            testId="stat-received-30d"
            label="Received in the last 30 days"
            value={a.receivedLast30Days}
          />
        </StatGrid>
      </section>

      <section aria-labelledby="threads-heading" className="mt-8">
        <h2 id="threads-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Threads by type
        </h2>
        <StatGrid className="lg:grid-cols-3">
          <StatCard
            testId="stat-threads-direct"
            label="Direct conversations"
            value={a.threadsByType.DIRECT}
          />
          <StatCard testId="stat-threads-class" label="Class threads" value={a.threadsByType.CLASS} />
          <StatCard testId="stat-threads-total" label="All threads" value={totalThreads} />
        </StatGrid>
        <p className="mt-3 text-sm text-slate-600">
          Threads you have left are not counted. Deleted messages are never counted.
        </p>
      </section>
    </>
  );
}
