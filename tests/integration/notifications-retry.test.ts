// A mail server that says "try later": the flush job fails, is logged and counted as a delivery
// failure, waits with backoff (measured on the injected clock), and sends once on the retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJob } from '@/jobs/queue';
import { sendMessage } from '@/messaging/send-message';
import { flushKey } from '@/notifications/context';
import { metrics } from '@/platform/metrics';
import { createDirectPair } from '../factories';
import { installTestServices } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';
import { settle, useNotifications } from '../support/notifications';
import { unlimited } from '../support/realtime';

/** This process's count of a notification counter for email (both database runs share the process). */
const emailCount = async (counter: 'notificationDeliveryFailures' | 'notificationsSent') =>
  (await metrics()[counter].get()).values.find((v) => v.labels.channel === 'email')?.value ?? 0;

for (const kind of dbKinds()) {
  describe(`delivery retries (${kind})`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(kind);
      installTestServices(database.db, { rateLimiter: unlimited });
    });
    afterAll(() => database.dispose());
    // n.smtp and n.notifications are read when a test runs, after the hooks started them.
    const n = useNotifications({
      db: () => database.db,
      smtp: { rejectFirst: 1 },
      context: () => ({ emailDelayMs: 0 }),
    });
    const { clock } = n;

    it('counts a refused email as a delivery failure and sends it once on the retry', async () => {
      const db = database.db;
      const { instructor, student, thread } = await createDirectPair(db);
      const failuresBefore = await emailCount('notificationDeliveryFailures');
      const sentBefore = await emailCount('notificationsSent');
      await sendMessage(
        { db },
        { userId: instructor.id, threadId: thread.id, content: 'Office hours moved.' },
      );
      clock.set(new Date(Date.now() + 1_000));
      await settle(db, n.notifications);

      expect(n.smtp.mails).toHaveLength(0);
      expect(await emailCount('notificationDeliveryFailures')).toBe(failuresBefore + 1);
      const job = await readJob(db, flushKey('email', student.id));
      expect(job).toMatchObject({ state: 'queued', attempts: 1 });
      expect(job!.lastError).toContain('Mailbox temporarily unavailable');
      expect(job!.runAt.getTime()).toBeGreaterThan(clock.now().getTime());

      clock.set(new Date(job!.runAt.getTime() + 1));
      await settle(db, n.notifications);
      expect(n.smtp.mails).toHaveLength(1);
      expect(n.smtp.mails[0]!.text).toContain('Office hours moved.');
      expect(await readJob(db, flushKey('email', student.id))).toMatchObject({ state: 'done' });
      expect(await emailCount('notificationsSent')).toBe(sentBefore + 1);
      // What /api/metrics serves.
      const exposition = await metrics().registry.metrics();
      expect(exposition).toMatch(/cm_notification_delivery_failures_total\{channel="email"\} [1-9]/);
      expect(exposition).toMatch(/cm_notification_jobs_queued_total\{channel="email"\} [1-9]/);

      clock.advance(3_600_000);
      await settle(db, n.notifications);
      expect(n.smtp.mails).toHaveLength(1);
    });
  });
}
