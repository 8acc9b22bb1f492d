import type { Metadata } from 'next';
import { ScheduledMessagesPage } from '@/app/_messages/scheduled-page';

export const metadata: Metadata = { title: 'Scheduled messages' };

export default function ScheduledPage() {
  return <ScheduledMessagesPage area="instructor" />;
}
