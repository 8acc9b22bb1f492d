import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { messagesPageProps } from '@/app/_messages/messages-page';
import { MessagesApp } from '@/ui/messages/MessagesApp';

export const metadata: Metadata = { title: 'Messages' };

export default async function InstructorMessagesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser('instructor', '/instructor/messages');
  const { rendered, classes, initialRecipient } = await messagesPageProps(
    user,
    'instructor',
    await searchParams,
  );
  return (
    <MessagesApp
      rendered={rendered}
      classes={classes}
      initialRecipient={initialRecipient}
      shell="sidebar"
      emptyHint="Start a conversation with a student, or post an announcement or discussion to a class, with New message."
    />
  );
}
