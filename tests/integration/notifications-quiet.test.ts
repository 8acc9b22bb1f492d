// Quiet hours against the real planner, jobs and SMTP, with an injected clock: an urgent
// announcement skips the email delay for a reader outside quiet hours, but waits, with everything
// else held, for the end of the quiet hours of a reader in another zone, where it is past midnight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJob } from '@/jobs/queue';
import { createThread as startThread } from '@/messaging/create-thread';
import { sendMessage } from '@/messaging/send-message';
import { flushKey } from '@/notifications/context';
import { updateSettings } from '@/notifications/preferences';
import { localMinutes, nextLocalTime } from '@/notifications/quiet-hours';
import { createClass, createUser, enrollStudent } from '../factories';
import { installTestServices } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';
import { unlimited } from '../support/realtime';
import { settle, useNotifications } from '../support/notifications';

const MINUTE = 60_000;
const DELAY_MS = 15 * MINUTE;

/** An Etc/GMT zone where `now` is between 23:00 and midnight, so quiet hours 22:00–06:00 cross midnight soon. */
function zoneNearMidnight(now: Date): string {
  const offset = ((23 - now.getUTCHours() + 12 + 24) % 24) - 12;
  // Etc/GMT signs are POSIX-style: Etc/GMT-5 is UTC+5.
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

for (const kind of dbKinds()) {
  describe(`quiet hours (${kind})`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(kind);
      installTestServices(database.db, { rateLimiter: unlimited });
    });
    afterAll(() => database.dispose());
    // n.smtp and n.notifications are read when a test runs, after the hooks started them.
    const n = useNotifications({
      db: () => database.db,
      context: () => ({ emailDelayMs: DELAY_MS }),
    });
    const { clock } = n;

    it('holds an urgent announcement through quiet hours past midnight, then sends one digest', async () => {
      const db = database.db;
      const ctx = { db };
      const now = new Date();
      clock.set(now);
      const tz = zoneNearMidnight(now);
      expect(Math.floor(localMinutes(now, tz) / 60)).toBe(23);

      const teacher = await createUser(db, { role: 'INSTRUCTOR', name: 'Mr Okafor' });
      const sleeper = await createUser(db, { name: 'Sleeper' });
      const awake = await createUser(db, { name: 'Awake' });
      const cls = await createClass(db, { instructors: [{ id: teacher.id }] });
      for (const s of [sleeper, awake]) await enrollStudent(db, { classId: cls.id, studentId: s.id });
      await updateSettings(ctx, {
        userId: sleeper.id,
        input: {
          name: 'Sleeper',
          timeZone: tz,
          emailMode: 'digest',
          dailyHour: 17,
          quietHours: { start: '22:00', end: '06:00' },
          previews: true,
        },
      });

      const { thread } = await startThread(ctx, {
        userId: teacher.id,
        input: {
          type: 'CLASS',
          classId: cls.id,
          title: 'Fire drill',
          kind: 'announcement',
          urgent: true,
          content: 'Fire drill at 9:00, meet at the oval.',
        },
      });
      clock.set(new Date()); // the message's time (the database's clock) has come
      await settle(db, n.notifications);
      // Urgent: no delay for the reader outside quiet hours…
      expect(n.smtp.mails.map((m) => m.subject)).toEqual(['Urgent: 1 new message in Fire drill']);
      expect(JSON.stringify(n.smtp.mails[0]!.to)).toContain(awake.email);
      // …but the sleeper's job waits for 06:00 in their zone.
      const quietEnd = nextLocalTime(6 * 60, tz, now);
      expect((await readJob(db, flushKey('email', sleeper.id)))?.runAt).toEqual(quietEnd);

      await sendMessage(ctx, { userId: teacher.id, threadId: thread.id, content: 'Update: bring a jacket.' });
      // Past local midnight and past the delay: the awake reader gets the second message; still quiet for the sleeper.
      clock.advance((24 * 60 - localMinutes(clock.now(), tz) + 30) * MINUTE);
      expect(localMinutes(clock.now(), tz)).toBe(30);
      n.smtp.mails.length = 0;
      await settle(db, n.notifications);
      expect(n.smtp.mails).toHaveLength(1);
      expect(JSON.stringify(n.smtp.mails[0]!.to)).toContain(awake.email);

      // The quiet hours end: one digest with both held messages, the urgent one marked.
      n.smtp.mails.length = 0;
      clock.set(quietEnd);
      await settle(db, n.notifications);
      expect(n.smtp.mails).toHaveLength(1);
      const mail = n.smtp.mails[0]!;
      expect(JSON.stringify(mail.to)).toContain(sleeper.email);
      expect(mail.subject).toBe('Urgent: 2 new messages in Fire drill');
      expect(mail.text).toContain('Mr Okafor: Fire drill at 9:00, meet at the oval.');
      expect(mail.text).toContain('Mr Okafor: Update: bring a jacket.');

      // Nothing more is due for anyone.
      n.smtp.mails.length = 0;
      clock.advance(24 * 60 * MINUTE);
      await settle(db, n.notifications);
      expect(n.smtp.mails).toHaveLength(0);
    });
  });
}
