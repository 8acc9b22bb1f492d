// The guide's three events to log, each under one stable event name (the `event` field) and counted
// in /api/metrics: a log search for `event:"auth.failed"` finds them all, whichever transport met them.
import { createHash } from 'node:crypto';
import { logger } from './logger';
import { metrics } from './metrics';
import { currentRequest } from './request-context';

export type TAuthFailureReason = 'bad_credentials' | 'no_session' | 'wrong_role' | 'other';

/**
 * A refused authentication. The email is hashed (a log is no place for a list of addresses people
 * typed, some of them passwords), but the same address always hashes the same, so repeated attempts
 * on one account still group.
 */
export function authFailed(opts: {
  reason: TAuthFailureReason;
  ip?: string;
  email?: string;
  userId?: string;
}) {
  metrics().authFailures.inc({ reason: opts.reason });
  const email = opts.email?.trim().toLowerCase();
  logger().warn(
    {
      event: 'auth.failed',
      reason: opts.reason,
      ip: opts.ip ?? currentRequest()?.ip,
      emailHash: email ? hashEmail(email) : undefined,
      userId: opts.userId,
      route: currentRequest()?.route,
    },
    'authentication refused',
  );
}

export function hashEmail(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 16);
}

/** A request refused by a rate limit: who, which limit, on which route (or socket event). */
export function rateLimitExceeded(opts: { limit: string; userId?: string; ip?: string; route?: string }) {
  metrics().rateLimitHits.inc({ limit: opts.limit });
  logger().warn(
    {
      event: 'rate_limit.exceeded',
      limit: opts.limit,
      userId: opts.userId,
      ip: opts.ip ?? currentRequest()?.ip,
      route: opts.route ?? currentRequest()?.route,
    },
    'rate limit exceeded',
  );
}

/** A committed change that could not be emitted to this process's sockets. */
export function deliveryFailed(opts: { err: unknown; position?: number; threadId?: string }) {
  metrics().deliveryFailures.inc();
  logger().error(
    { event: 'delivery.failed', err: opts.err, position: opts.position, threadId: opts.threadId },
    'delivering a change failed',
  );
}
