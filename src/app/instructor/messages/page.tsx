import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { MessagesApp } from '@/ui/messages/MessagesApp';

export const metadata: Metadata = { title: 'Messages' };

export default async function InstructorMessagesPage() {
  await requirePageUser('instructor', '/instructor/messages');
  return (
    <MessagesApp
      shell="sidebar"
      emptyHint="Start a conversation with a student, or post an announcement or discussion to a class, with New message."
    />
  );
}
