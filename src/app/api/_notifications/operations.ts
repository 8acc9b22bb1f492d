// The settings and notification REST API, declared once for both areas: instructors under
// /api/instructor, students under /api/user. Profile and preferences are one settings object;
// push subscriptions are per device. Every rule lives in src/notifications/.
import { z } from 'zod';
import type { Area } from '@/messaging/limits';
import { getSettings, updateSettings, ZSettings, ZSettingsInput } from '@/notifications/preferences';
import {
  deletePushSubscription,
  savePushSubscription,
  ZPushSubscriptionInput,
  ZPushUnsubscribeInput,
} from '@/notifications/push-subscriptions';
import { defineOperation, handlersAt, type HttpMethod, type Operation } from '@/server/operation';

/** Where each area's settings and notification routes live. */
export const SETTINGS_PREFIX: Record<Area, string> = { instructor: '/api/instructor', student: '/api/user' };

const getSettingsOp = defineOperation({
  method: 'GET',
  path: '/settings',
  summary: 'The caller’s profile (display name, time zone) and notification preferences',
  response: ZSettings,
  errors: [],
  handle: async ({ ctx, user }) => ({ data: await getSettings(ctx, { userId: user.id }) }),
});

const updateSettingsOp = defineOperation({
  method: 'PUT',
  path: '/settings',
  summary: 'Save the caller’s profile and notification preferences',
  description:
    'emailMode: off, digest (unread messages after NOTIFY_EMAIL_DELAY) or daily (one summary at dailyHour, ' +
    'in timeZone). quietHours: { start, end } as HH:MM in timeZone (end ≠ start; may span midnight), or null. ' +
    'timeZone: an IANA name.',
  body: ZSettingsInput,
  response: ZSettings,
  errors: [],
  handle: async ({ ctx, user, body }) => ({
    data: await updateSettings(ctx, { userId: user.id, input: body }),
  }),
});

const ZPushKey = z.object({ publicKey: z.string() }).meta({ id: 'PushKey' });

const pushKeyOp = defineOperation({
  method: 'GET',
  path: '/notifications/push-key',
  summary: 'The VAPID public key to subscribe a browser with (PushManager.subscribe applicationServerKey)',
  response: ZPushKey,
  errors: [],
  handle: async ({ ctx }) => ({ data: { publicKey: ctx.notifications.pushPublicKey } }),
});

const subscribeOp = defineOperation({
  method: 'POST',
  path: '/notifications/push-subscriptions',
  summary: 'Turn push on for this device: save its PushSubscription (as PushSubscription.toJSON() gives it)',
  body: ZPushSubscriptionInput,
  response: z.object({ id: z.string() }).meta({ id: 'PushSubscriptionSaved' }),
  status: 201,
  errors: [],
  handle: async ({ ctx, user, body }) => ({
    data: await savePushSubscription(ctx, { userId: user.id, input: body }),
    status: 201,
  }),
});

const unsubscribeOp = defineOperation({
  method: 'DELETE',
  path: '/notifications/push-subscriptions',
  summary: 'Turn push off for this device: forget its subscription (by endpoint)',
  body: ZPushUnsubscribeInput,
  response: z.object({ deleted: z.boolean() }).meta({ id: 'PushSubscriptionDeleted' }),
  errors: [],
  handle: async ({ ctx, user, body }) => ({
    data: { deleted: await deletePushSubscription(ctx, { userId: user.id, input: body }) },
  }),
});

export const SETTINGS_OPERATIONS: ReadonlyArray<Operation> = [
  getSettingsOp,
  updateSettingsOp,
  pushKeyOp,
  subscribeOp,
  unsubscribeOp,
] as Operation[];

export function settingsRoute<M extends HttpMethod>(area: Area, path: string, methods: readonly M[]) {
  return handlersAt(SETTINGS_OPERATIONS, path, methods, { area });
}
