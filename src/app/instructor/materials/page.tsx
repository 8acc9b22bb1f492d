import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { EmptyState } from '@/ui/EmptyState';
import { PageHeader } from '@/ui/PageHeader';

export const metadata: Metadata = { title: 'Materials' };

export default async function MaterialsPage() {
  await requirePageUser('instructor', '/instructor/materials');
  return (
    <>
      <PageHeader title="Materials" />
      <EmptyState title="Materials aren't part of Classroom Messaging yet">
        Sharing course resources is planned for a later release. Nothing is stored here for now.
      </EmptyState>
    </>
  );
}
