// The Scheduled list, the same page in both areas: only the sign-in guard differs.
import { requirePageUser } from '@/auth/guards';
import { PageHeader } from '@/ui/PageHeader';
import { ScheduledList } from '@/ui/messages/scheduled/ScheduledList';

export async function ScheduledMessagesPage({ area }: { area: 'instructor' | 'student' }) {
  await requirePageUser(area, `/${area}/messages/scheduled`);
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
