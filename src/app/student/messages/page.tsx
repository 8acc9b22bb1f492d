import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { messagesPageProps } from '@/app/_messages/messages-page';
import { MessagesApp } from '@/ui/messages/MessagesApp';

export const metadata: Metadata = { title: 'Messages' };

export default async function StudentMessagesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser('student', '/student/messages');
  const { rendered, classes, initialRecipient } = await messagesPageProps(
    user,
    'student',
    await searchParams,
  );
  return (
    <MessagesApp
      rendered={rendered}
      classes={classes}
      initialRecipient={initialRecipient}
      shell="topbar"
      emptyHint="Messages from your instructors and your classes will appear here. You can write to an instructor of your classes with New message."
    />
  );
}
