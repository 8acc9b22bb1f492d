import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { renderedThread } from '@/app/_messages/rendered-thread';
import { MessagesApp } from '@/ui/messages/MessagesApp';

export const metadata: Metadata = { title: 'Messages' };

export default async function InstructorMessagesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser('instructor', '/instructor/messages');
  const rendered = await renderedThread(user.id, (await searchParams).thread);
  return (
    <MessagesApp
      rendered={rendered}
      shell="sidebar"
      emptyHint="Start a conversation with a student, or post an announcement or discussion to a class, with New message."
    />
  );
}
