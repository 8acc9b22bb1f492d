import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { AnalyticsDashboard } from '@/ui/analytics/AnalyticsDashboard';
import { PageHeader } from '@/ui/PageHeader';

export const metadata: Metadata = { title: 'Analytics' };

export default async function AnalyticsPage() {
  const user = await requirePageUser('instructor', '/instructor/analytics');
  const platform = user.role === 'ADMIN';
  return (
    <>
      <PageHeader
        title="Analytics"
        description={
          platform
            ? 'Messaging across the whole platform: volume, response times and engagement.'
            : 'Messaging in your conversations and classes: volume, response times and engagement.'
        }
      />
      <AnalyticsDashboard platform={platform} />
    </>
  );
}
