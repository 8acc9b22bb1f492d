// Email notifications end to end on a real SMTP server (smtp-server): messages sent through the
// domain, the change feed numbered, the planner and the job worker run by the test with an
// injected clock, a real Socket.IO connection for the "connected" case, and the unsubscribe route
// called without a session.
import { eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { notificationDeliveries } from '@/db/schema';
import { markThreadRead } from '@/messaging/mark-read';
import { sendMessage } from '@/messaging/send-message';
import { updateThreadSettings } from '@/messaging/update-thread-settings';
import { getSettings } from '@/notifications/preferences';
import * as unsubscribeRoute from '@/app/api/notifications/unsubscribe/route';
import { createClass, createThread, createUser, enrollStudent } from '../factories';
import { dbKinds } from '../support/db';
import { useRealtimeSuite } from '../support/realtime-suite';
import { clientFor } from '../support/realtime';
import { settle, useNotifications } from '../support/notifications';

const DELAY_MS = 900_000;

/** A header as sent (unfolded), not as mailparser interprets it. */
function rawHeader(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name)?.line ?? '';
  return line
    .replace(/\r?\n[ \t]+/g, ' ')
    .slice(line.indexOf(':') + 1)
    .trim();
}

for (const kind of dbKinds()) {
  describe(`email digests (${kind})`, () => {
    const suite = useRealtimeSuite(kind);
    // n.smtp and n.notifications are read when a test runs, after the hooks started them.
    const n = useNotifications({
      db: () => suite.database.db,
      context: () => ({
        presence: { connectedUsers: (ids) => suite.server.realtime.connectedUsers(ids) },
        emailDelayMs: DELAY_MS,
      }),
    });
    const { clock } = n;
    afterEach(() => {
      n.smtp.mails.length = 0;
    });

    it('sends one escaped digest to the away reader only, with a one-click unsubscribe that needs no session', async () => {
      const db = suite.database.db;
      const ctx = suite.api.services;
      const teacher = await createUser(db, { role: 'INSTRUCTOR', name: 'Ms Rivera' });
      const [away, online, reader, muter] = await Promise.all(
        ['Away', 'Online', 'Reader', 'Muter'].map((n) => createUser(db, { name: `${n} Student` })),
      );
      const cls = await createClass(db, { instructors: [{ id: teacher.id }] });
      for (const s of [away, online, reader, muter])
        await enrollStudent(db, { classId: cls.id, studentId: s!.id });
      const everyone = [away, online, reader, muter].map((s) => s!.id);
      const thread = await createThread(db, {
        type: 'CLASS',
        createdById: teacher.id,
        classId: cls.id,
        title: 'Lab week 3',
        participantIds: everyone,
      });
      const direct = await createThread(db, {
        type: 'DIRECT',
        createdById: teacher.id,
        participantIds: [away!.id],
      });

      const socket = clientFor(suite.server.url, await suite.api.cookieFor(online!));
      suite.clients.push(socket);
      await socket.ready();

      await sendMessage(ctx, { userId: teacher.id, threadId: thread.id, content: 'Bring goggles.' });
      await sendMessage(ctx, { userId: teacher.id, threadId: thread.id, content: 'Lab moved to room 4.' });
      await sendMessage(ctx, {
        userId: teacher.id,
        threadId: thread.id,
        content: '<script>alert("x")</script> & <b>bold</b>',
      });
      await sendMessage(ctx, {
        userId: teacher.id,
        threadId: direct.id,
        content: 'Can we talk about your essay?',
      });
      await markThreadRead(ctx, { userId: reader!.id, threadId: thread.id });
      await updateThreadSettings(ctx, { userId: muter!.id, threadId: thread.id, input: { muted: true } });

      // Within the delay nothing goes out.
      clock.set(new Date());
      await settle(db, n.notifications);
      expect(n.smtp.mails).toHaveLength(0);

      clock.advance(DELAY_MS + 1_000);
      await settle(db, n.notifications);
      expect(n.smtp.mails.map((m) => m.to && 'text' in m.to && m.to.text)).toEqual([away!.email]);
      const mail = n.smtp.mails[0]!;
      expect(mail.subject).toBe('4 new messages in 2 conversations');
      expect(mail.text).toContain('Lab week 3 (3 new)');
      expect(mail.text).toContain('Conversation with Ms Rivera (1 new)');
      expect(mail.text).toContain('Ms Rivera: Lab moved to room 4.');
      expect(mail.text).toContain(`http://localhost:3000/student/messages?thread=${thread.id}`);
      const html = String(mail.html);
      expect(html).toContain(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;',
      );
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<b>bold');
      expect(html).toContain(`href="http://localhost:3000/student/messages?thread=${direct.id}"`);

      // The others' deliveries were closed with their reasons, never sent.
      const rows = await db
        .select()
        .from(notificationDeliveries)
        .where(eq(notificationDeliveries.channel, 'email'));
      const reasonOf = (userId: string) => [
        ...new Set(rows.filter((r) => r.userId === userId).map((r) => r.reason)),
      ];
      expect(reasonOf(online!.id)).toEqual(['connected']);
      expect(reasonOf(reader!.id)).toEqual(['read']);
      // Muted before the planner saw the messages: nothing was even planned for them.
      expect(rows.filter((r) => r.userId === muter!.id)).toEqual([]);
      expect(rows.filter((r) => r.userId === away!.id).every((r) => r.state === 'sent')).toBe(true);

      // RFC 8058 one-click unsubscribe: the header's URL, posted without any cookie.
      const listUnsubscribe = rawHeader(mail, 'list-unsubscribe');
      expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      const url = /^<(.+)>$/.exec(listUnsubscribe)![1]!;
      expect(mail.text).toContain(url);
      const page = await unsubscribeRoute.GET(new Request(url), undefined);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<form method="post"');
      expect((await getSettings(ctx, { userId: away!.id })).emailMode).toBe('digest');
      const posted = await unsubscribeRoute.POST(
        new Request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: 'List-Unsubscribe=One-Click',
        }),
        undefined,
      );
      expect(posted.status).toBe(200);
      expect(await posted.json()).toEqual({ data: { unsubscribed: true } });
      expect((await getSettings(ctx, { userId: away!.id })).emailMode).toBe('off');

      // A forged token is a 400 with the app's error shape.
      const forged = await unsubscribeRoute.POST(
        new Request(url.replace(/token=[^.]+/, 'token=' + Buffer.from(online!.id).toString('base64url')), {
          method: 'POST',
        }),
        undefined,
      );
      expect(forged.status).toBe(400);
      expect((await forged.json()).error.code).toBe('INVALID_TOKEN');

      // Unsubscribed: the next message is not emailed.
      n.smtp.mails.length = 0;
      await sendMessage(ctx, { userId: teacher.id, threadId: direct.id, content: 'Still there?' });
      clock.advance(DELAY_MS + 1_000);
      await settle(db, n.notifications);
      expect(n.smtp.mails).toHaveLength(0);
    });

    it("an @mention reaches a reader who muted the thread; the thread's other messages do not", async () => {
      const db = suite.database.db;
      const ctx = suite.api.services;
      const teacher = await createUser(db, { role: 'INSTRUCTOR', name: 'Mr Okafor' });
      const muter = await createUser(db, { name: 'Quiet Student' });
      const cls = await createClass(db, { instructors: [{ id: teacher.id }] });
      await enrollStudent(db, { classId: cls.id, studentId: muter.id });
      const thread = await createThread(db, {
        type: 'CLASS',
        createdById: teacher.id,
        classId: cls.id,
        title: 'Discussion: chapter 5',
        studentsCanReply: true,
        participantIds: [muter.id],
      });
      await updateThreadSettings(ctx, { userId: muter.id, threadId: thread.id, input: { muted: true } });
      await sendMessage(ctx, { userId: teacher.id, threadId: thread.id, content: 'General remark.' });
      await sendMessage(ctx, {
        userId: teacher.id,
        threadId: thread.id,
        content: '@Quiet Student, your answer please.',
        mentionIds: [muter.id],
      });
      clock.set(new Date());
      clock.advance(DELAY_MS + 1_000);
      await settle(db, n.notifications);
      const mine = n.smtp.mails.filter((m) => m.to && 'text' in m.to && m.to.text === muter.email);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.text).toContain('your answer please');
      expect(mine[0]!.text).not.toContain('General remark.');
    });
  });
}
