// One user's push flush (the job `notify.push:<userId>`): one notification per device for what is
// ready — the message itself (sender, thread, a preview unless turned off) or, when several were
// held (quiet hours), one summary. Subscriptions the push service calls gone (404/410) are deleted;
// a device that fails otherwise is retried by the job with backoff.
import { eq } from 'drizzle-orm';
import { pushSubscriptions } from '@/db/schema';
import { logger } from '@/platform/logger';
import { metrics } from '@/platform/metrics';
import type { NotificationsContext } from './context';
import type { TFlushResult } from './flush-email';
import { closeDeliveries, closeSkipped, sortPending, threadUrl, type TPendingItem } from './pending';
import { messageNotification } from './message-notification';
import { isQuiet, quietEndsAt } from './quiet-hours';

/** What the service worker (public/sw.js) receives. */
export interface TPushPayload {
  title: string;
  body: string;
  url: string;
  tag: string;
  threadId?: string;
}

export function pushPayload(
  items: TPendingItem[],
  opts: { previews: boolean; urlOf: (threadId?: string) => string },
): TPushPayload {
  if (items.length === 1) {
    const m = items[0]!;
    return {
      ...messageNotification(m, { previews: opts.previews }),
      url: opts.urlOf(m.threadId),
      tag: `thread-${m.threadId}`,
      threadId: m.threadId,
    };
  }
  const threads = [...new Set(items.map((i) => i.threadTitle))];
  const single = new Set(items.map((i) => i.threadId)).size === 1;
  return {
    title: `${items.length} new messages`,
    body: threads.slice(0, 3).join(', ') + (threads.length > 3 ? ` and ${threads.length - 3} more` : ''),
    url: opts.urlOf(single ? items[0]!.threadId : undefined),
    tag: 'digest',
    threadId: single ? items[0]!.threadId : undefined,
  };
}

export async function flushPush(
  ctx: NotificationsContext,
  { userId }: { userId: string },
): Promise<TFlushResult> {
  const now = ctx.clock.now();
  const pending = await sortPending(ctx.db, { userId, channel: 'push', now });
  if (!pending) return { sent: 0, skipped: 0 };
  const { prefs, recipient } = pending;
  if (isQuiet(prefs.quiet, prefs.timeZone, now)) {
    return { sent: 0, skipped: 0, runAgainAt: quietEndsAt(prefs.quiet, prefs.timeZone, now) };
  }
  const devices = ctx.push
    ? await ctx.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId))
    : [];
  let { ready } = pending;
  const skipped = [...pending.skipped];
  if (ready.length && !devices.length) {
    skipped.push(...ready.map((r) => ({ id: r.id, reason: 'no-device' })));
    ready = [];
  }
  await closeSkipped(ctx.db, skipped);
  if (ready.length && ctx.push) {
    const payload = JSON.stringify(
      pushPayload(ready, {
        previews: prefs.previews,
        urlOf: (id) => threadUrl(ctx.appUrl, recipient.role, id),
      }),
    );
    const errors: unknown[] = [];
    for (const device of devices) {
      try {
        const outcome = await ctx.push.send(device, payload, {
          urgency: ready.some((r) => r.urgent) ? 'high' : 'normal',
        });
        if (outcome === 'gone') {
          await ctx.db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, device.id));
          logger().info({ userId, subscriptionId: device.id }, 'push subscription gone; deleted');
        }
      } catch (err) {
        errors.push(err);
        metrics().notificationDeliveryFailures.inc({ channel: 'push' });
        logger().warn(
          { event: 'delivery.failed', channel: 'push', userId, subscriptionId: device.id, err },
          'delivery.failed',
        );
      }
    }
    // Every device failed: let the job retry the whole push. Some reached: done (no repeats).
    if (errors.length === devices.length) throw errors[0];
    await closeDeliveries(
      ctx.db,
      ready.map((r) => r.id),
      'sent',
    );
    metrics().notificationsSent.inc({ channel: 'push' });
  }
  return { sent: ready.length, skipped: skipped.length, runAgainAt: pending.nextAt ?? undefined };
}
