// Web push end to end: a device subscribes through the API, a message is planned and flushed by
// the job worker, and a push service run by the test receives it, decrypts it with the
// subscription's keys (aes128gcm) and checks the VAPID JWT; a 410 answer deletes the subscription.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pushKeyRoute from '@/app/api/user/notifications/push-key/route';
import * as subscriptionsRoute from '@/app/api/user/notifications/push-subscriptions/route';
import * as settingsRoute from '@/app/api/user/settings/route';
import { pushSubscriptions } from '@/db/schema';
import { sendMessage } from '@/messaging/send-message';
import { createPushSender, generateVapidKeys } from '@/platform/web-push';
import { createDirectPair } from '../factories';
import { call, installTestServices, type TestApi } from '../support/api';
import { createTestDatabase, dbKinds, type TestDatabase } from '../support/db';
import { settle, useNotifications } from '../support/notifications';
import {
  browserSubscriptionKeys,
  readVapid,
  startPushEndpoint,
  type PushEndpoint,
} from '../support/push-endpoint';
import { unlimited } from '../support/realtime';

const SUBSCRIPTIONS = '/api/user/notifications/push-subscriptions';

for (const kind of dbKinds()) {
  describe(`web push (${kind})`, () => {
    let database: TestDatabase;
    let api: TestApi;
    let endpoint: PushEndpoint;
    const vapid = generateVapidKeys();

    beforeAll(async () => {
      database = await createTestDatabase(kind);
      api = installTestServices(database.db, { rateLimiter: unlimited, pushPublicKey: vapid.publicKey });
      endpoint = await startPushEndpoint();
    });
    afterAll(async () => {
      await endpoint.close();
      await database.dispose();
    });
    // n.smtp and n.notifications are read when a test runs, after the hooks started them.
    const n = useNotifications({
      db: () => database.db,
      context: () => ({
        push: createPushSender({ keys: vapid, subject: 'mailto:ops@school.test', agent: endpoint.agent }),
      }),
    });
    const { clock } = n;

    it('delivers an encrypted payload with a VAPID JWT for the endpoint’s origin, and forgets a 410 device', async () => {
      const db = database.db;
      const { instructor, student, thread } = await createDirectPair(db);
      const cookie = await api.cookieFor(student);

      const key = await call(pushKeyRoute.GET, '/api/user/notifications/push-key', { cookie });
      expect(key.body.data.publicKey).toBe(vapid.publicKey);

      const phone = browserSubscriptionKeys();
      const oldLaptop = browserSubscriptionKeys();
      const saved = await call(subscriptionsRoute.POST, SUBSCRIPTIONS, {
        cookie,
        body: { endpoint: `${endpoint.origin}/ok/phone`, keys: phone.keys },
      });
      expect(saved.status).toBe(201);
      await call(subscriptionsRoute.POST, SUBSCRIPTIONS, {
        cookie,
        body: { endpoint: `${endpoint.origin}/gone/laptop`, keys: oldLaptop.keys },
      });

      clock.set(new Date(Date.now() + 1_000));
      await sendMessage(
        { db },
        { userId: instructor.id, threadId: thread.id, content: 'Your essay is graded: A-.' },
      );
      clock.set(new Date(Date.now() + 1_000));
      await settle(db, n.notifications);

      const toPhone = endpoint.requests.filter((r) => r.path === '/ok/phone');
      expect(toPhone).toHaveLength(1);
      const req = toPhone[0]!;
      expect(req.headers['content-encoding']).toBe('aes128gcm');
      expect(Number(req.headers.ttl)).toBeGreaterThan(0);
      const payload = JSON.parse(phone.decrypt(req.body));
      expect(payload).toEqual({
        title: `${instructor.name} · Conversation with ${instructor.name}`,
        body: 'Your essay is graded: A-.',
        url: `http://localhost:3000/student/messages?thread=${thread.id}`,
        tag: `thread-${thread.id}`,
        threadId: thread.id,
      });
      const { claims, key: jwtKey } = readVapid(String(req.headers.authorization));
      expect(claims.aud).toBe(endpoint.origin);
      expect(claims.sub).toBe('mailto:ops@school.test');
      expect(claims.exp * 1000).toBeGreaterThan(Date.now());
      expect(jwtKey).toBe(vapid.publicKey);

      // The push service said 410 for the laptop: its subscription is gone, the phone's stays.
      expect(endpoint.requests.filter((r) => r.path === '/gone/laptop')).toHaveLength(1);
      const left = await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, student.id));
      expect(left.map((s) => s.endpoint)).toEqual([`${endpoint.origin}/ok/phone`]);

      // Previews off: the next push says only that there is a message.
      const settings = await call(settingsRoute.GET, '/api/user/settings', { cookie });
      const { pushDevices, defaults, email, ...editable } = settings.body.data;
      expect([pushDevices, defaults, email]).toEqual([1, true, student.email]);
      const put = await call(settingsRoute.PUT, '/api/user/settings', {
        cookie,
        method: 'PUT',
        body: { ...editable, previews: false },
      });
      expect(put.status).toBe(200);
      await sendMessage(
        { db },
        { userId: instructor.id, threadId: thread.id, content: 'Secret grade inside' },
      );
      clock.set(new Date(Date.now() + 1_000));
      await settle(db, n.notifications);
      const second = endpoint.requests.filter((r) => r.path === '/ok/phone');
      expect(second).toHaveLength(2);
      expect(JSON.parse(phone.decrypt(second[1]!.body)).body).toBe('New message');

      // Turning push off on the device forgets it; bad input is a 400 naming the field.
      const off = await call(subscriptionsRoute.DELETE, SUBSCRIPTIONS, {
        cookie,
        method: 'DELETE',
        body: { endpoint: `${endpoint.origin}/ok/phone` },
      });
      expect(off.body.data).toEqual({ deleted: true });
      const bad = await call(subscriptionsRoute.POST, SUBSCRIPTIONS, {
        cookie,
        body: { endpoint: 'http://push.example.com/x', keys: { p256dh: 'short', auth: 'x' } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(bad.body.error.fields).sort()).toEqual(['endpoint', 'keys.auth', 'keys.p256dh']);
      const anonymous = await call(subscriptionsRoute.POST, SUBSCRIPTIONS, {
        body: { endpoint: `${endpoint.origin}/ok/x`, keys: phone.keys },
      });
      expect(anonymous.status).toBe(401);
    });
  });
}
