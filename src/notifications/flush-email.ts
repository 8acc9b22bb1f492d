// One user's email flush (the job `notify.email:<userId>`): their ready, still-unread deliveries
// go out as one digest, unless they are connected right now (they will see them in the app) or
// inside their quiet hours (the job waits for the end, and everything held goes out together).
// The deliveries are marked sent after the mail server accepts the email: a crash in between sends
// that digest again on the job's next attempt, with the same Message-ID.
import { logger } from '@/platform/logger';
import { metrics } from '@/platform/metrics';
import type { NotificationsContext } from './context';
import { buildDigest, groupByThread } from './digest';
import { closeDeliveries, closeSkipped, settingsUrl, sortPending, threadUrl } from './pending';
import { isQuiet, quietEndsAt } from './quiet-hours';
import { unsubscribeUrl } from './unsubscribe';

export interface TFlushResult {
  sent: number;
  skipped: number;
  /** Run the flush again then (quiet hours, a delay, or a daily hour not reached). */
  runAgainAt?: Date;
}

export async function flushEmail(
  ctx: NotificationsContext,
  { userId }: { userId: string },
): Promise<TFlushResult> {
  const now = ctx.clock.now();
  const pending = await sortPending(ctx.db, { userId, channel: 'email', now });
  if (!pending) return { sent: 0, skipped: 0 };
  const { prefs, recipient } = pending;
  if (prefs.emailMode !== 'off' && isQuiet(prefs.quiet, prefs.timeZone, now)) {
    return { sent: 0, skipped: 0, runAgainAt: quietEndsAt(prefs.quiet, prefs.timeZone, now) };
  }
  let { ready } = pending;
  const skipped = [...pending.skipped];
  if (ready.length && (await ctx.presence.connectedUsers([userId])).has(userId)) {
    skipped.push(...ready.map((r) => ({ id: r.id, reason: 'connected' })));
    ready = [];
  }
  await closeSkipped(ctx.db, skipped);
  if (ready.length) {
    const threads = groupByThread(ready, (id) => threadUrl(ctx.appUrl, recipient.role, id));
    const unsubscribe = unsubscribeUrl(ctx.appUrl, ctx.secret, userId);
    const digest = buildDigest({
      recipientName: recipient.name,
      threads,
      previews: prefs.previews,
      unsubscribeUrl: unsubscribe,
      settingsUrl: settingsUrl(ctx.appUrl, recipient.role),
    });
    const host = new URL(ctx.appUrl).hostname || 'localhost';
    await ctx.mailer.send({
      to: recipient.email,
      subject: digest.subject,
      text: digest.text,
      html: digest.html,
      messageId: `<digest-${userId}-${ready[0]!.id}-${ready[ready.length - 1]!.id}@${host}>`,
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    await closeDeliveries(
      ctx.db,
      ready.map((r) => r.id),
      'sent',
    );
    metrics().notificationsSent.inc({ channel: 'email' });
    logger().info({ userId, messages: ready.length, threads: threads.length }, 'email digest sent');
  }
  return { sent: ready.length, skipped: skipped.length, runAgainAt: pending.nextAt ?? undefined };
}
