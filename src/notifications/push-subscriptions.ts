// A device's push subscription, as the browser's PushManager gives it: saved per endpoint (a
// device re-subscribing, or another user signing in on it, takes the row over), deleted on
// request or when the push service says it is gone.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { pushSubscriptions } from '@/db/schema';
import { parseInput } from '@/platform/errors';

const ZEndpoint = z
  .url({ error: 'Must be the https:// endpoint of a push service.' })
  .max(2000, 'Too long for an endpoint.')
  .refine((u) => u.startsWith('https://'), { message: 'Must be the https:// endpoint of a push service.' });
const ZKey = z
  .string()
  .min(8, 'Not a valid key.')
  .max(200, 'Not a valid key.')
  .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'Not a valid base64url key.');

export const ZPushSubscriptionInput = z
  .object({ endpoint: ZEndpoint, keys: z.object({ p256dh: ZKey, auth: ZKey }) })
  .meta({ id: 'PushSubscriptionInput' });
export type TPushSubscriptionInput = z.input<typeof ZPushSubscriptionInput>;

export const ZPushUnsubscribeInput = z.object({ endpoint: ZEndpoint }).meta({ id: 'PushUnsubscribeInput' });

export async function savePushSubscription(
  { db }: { db: Db },
  { userId, input }: { userId: string; input: TPushSubscriptionInput },
): Promise<{ id: string }> {
  const v = parseInput(ZPushSubscriptionInput, input);
  const values = { userId, endpoint: v.endpoint, p256dh: v.keys.p256dh, auth: v.keys.auth };
  const [row] = await db
    .insert(pushSubscriptions)
    .values(values)
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: values })
    .returning({ id: pushSubscriptions.id });
  return { id: row!.id };
}

/** Removes the caller's subscription at this endpoint; true when there was one. */
export async function deletePushSubscription(
  { db }: { db: Db },
  { userId, input }: { userId: string; input: { endpoint: string } },
): Promise<boolean> {
  const v = parseInput(ZPushUnsubscribeInput, input);
  const rows = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, v.endpoint)))
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}
