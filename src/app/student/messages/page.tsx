import type { Metadata } from 'next';
import { requirePageUser } from '@/auth/guards';
import { MessagesApp } from '@/ui/messages/MessagesApp';

export const metadata: Metadata = { title: 'Messages' };

export default async function StudentMessagesPage() {
  await requirePageUser('student', '/student/messages');
  return (
    <MessagesApp
      shell="topbar"
      emptyHint="Messages from your instructors and your classes will appear here. You can write to an instructor of your classes with New message."
    />
  );
}
