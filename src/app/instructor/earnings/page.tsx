import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { EmptyState } from '@/ui/EmptyState';
import { PageHeader } from '@/ui/PageHeader';

export const metadata: Metadata = { title: 'Earnings' };

export default async function EarningsPage() {
  await requirePageUser('instructor', '/instructor/earnings');
  return (
    <>
      <PageHeader title="Earnings" />
      <EmptyState title="Earnings aren't part of Classroom Messaging yet">
        Payment tracking is planned for a later release. No payment data is collected or shown here.
      </EmptyState>
    </>
  );
}
