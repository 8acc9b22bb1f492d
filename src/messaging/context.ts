// What every use case receives as its first argument: the database, and the edges' rate limiter
// (with the send limit the process was configured with) and event publisher. It is the part of the
// app's services (src/server/services.ts, which extends it) that the domain uses, so transports pass
// the services object itself. Passed in rather than imported, so a test or script can run the domain
// on any database and with or without a limiter (the seed backdates messages and must not be
// rate-limited).
import type { Db } from '@/db/client';
import type { RateLimitRule, RateLimiter } from '@/platform/rate-limit';
import { silentPublisher, type EventPublisher, type MessagingEvent } from './events';

export interface MessagingContext {
  db: Db;
  /** Absent only for trusted callers (seed, factories); every transport passes one. */
  rateLimiter?: RateLimiter;
  /** Sends per user and window (MESSAGE_RATE_LIMIT_PER_MINUTE); absent: SEND_RATE_LIMIT, 30 a minute. */
  sendRateLimit?: RateLimitRule;
  events?: EventPublisher;
}

/** Publishes after the commit; the change is already durable, so a publish failure is only logged. */
export function publish(ctx: MessagingContext, ...events: MessagingEvent[]): void {
  const publisher = ctx.events ?? silentPublisher;
  for (const event of events) publisher.publish(event);
}
