// What every use case receives: the database, and the edges' rate limiter (with the send limit the
// process was configured with) and event publisher. Passed in rather than imported, so a test or
// script can run the domain on any database and with or without a limiter (the seed backdates
// messages and must not be rate-limited).
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

/** What every transport hands the domain, taken from the process's services (the rest left out). */
export function messagingContext(services: MessagingContext): MessagingContext {
  const { db, rateLimiter, sendRateLimit, events } = services;
  return { db, rateLimiter, sendRateLimit, events };
}

/** Publishes after the commit; the change is already durable, so a publish failure is only logged. */
export function publish(ctx: MessagingContext, ...events: MessagingEvent[]): void {
  const publisher = ctx.events ?? silentPublisher;
  for (const event of events) publisher.publish(event);
}
