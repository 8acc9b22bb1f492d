import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { renderedThread } from '@/app/_messages/rendered-thread';
import { MessagesApp } from '@/ui/messages/MessagesApp';

export const metadata: Metadata = { title: 'Messages' };

export default async function StudentMessagesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser('student', '/student/messages');
  const rendered = await renderedThread(user.id, (await searchParams).thread);
  return (
    <MessagesApp
      rendered={rendered}
      shell="topbar"
      emptyHint="Messages from your instructors and your classes will appear here. You can write to an instructor of your classes with New message."
    />
  );
}
