// What both messages pages render on the server besides an open thread: the viewer's classes (the
// thread list's class filter) and, for ?to=<userId> (a roster's or class card's Message button),
// either a redirect to the existing DIRECT thread or the person to start one with.
import 'server-only';
import { redirect } from 'next/navigation';
import type { SessionUser } from '@/auth/session';
import { listInstructorClasses } from '@/classroom/instructor-queries';
import { listStudentClasses } from '@/classroom/student-queries';
import { ZId } from '@/messaging/ids';
import { listRecipients, type TRecipient } from '@/messaging/list-recipients';
import { getAppServices } from '@/server/services';
import type { ClassOption } from '@/ui/messages/ThreadListPane';
import { renderedThread } from './rendered-thread';

type Params = Record<string, string | string[] | undefined>;

export async function messagesPageProps(user: SessionUser, area: 'instructor' | 'student', params: Params) {
  const ctx = await getAppServices();
  const to = ZId.safeParse(params.to);
  let initialRecipient: TRecipient | null = null;
  if (to.success) {
    const { recipients } = await listRecipients(ctx, { userId: user.id, only: to.data, limit: 1 });
    const person = recipients[0];
    const base = area === 'instructor' ? '/instructor/messages' : '/student/messages';
    if (person?.directThreadId) redirect(`${base}?thread=${encodeURIComponent(person.directThreadId)}`);
    initialRecipient = person ?? null;
  }
  const [rendered, taught] = await Promise.all([
    renderedThread(user.id, params.thread),
    area === 'instructor'
      ? listInstructorClasses(ctx, { userId: user.id })
      : listStudentClasses(ctx, { userId: user.id }),
  ]);
  const classes: ClassOption[] = taught.map(({ id, name, code }) => ({ id, name, code }));
  return { rendered, classes, initialRecipient };
}
