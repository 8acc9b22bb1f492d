import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { PageHeader } from '@/ui/PageHeader';
import { ScheduledList } from '@/ui/messages/scheduled/ScheduledList';

export const metadata: Metadata = { title: 'Scheduled messages' };

export default async function ScheduledPage() {
  await requirePageUser('student', '/student/messages/scheduled');
  return (
    <>
      <PageHeader
        title="Scheduled messages"
        description="Messages waiting to be sent at the time you chose. Edit or cancel them until they go."
      />
      <ScheduledList />
    </>
  );
}
