// The brute-force limit on sign-in, keyed twice: on the client's address (one machine guessing many
// accounts) and on the account (many machines guessing one password). The address is the one the
// custom server recorded (platform/client-ip.ts), never a header the client chose.
import { AppError } from '@/platform/errors';
import { rateLimitExceeded } from '@/platform/ops-events';
import type { RateLimiter } from '@/platform/rate-limit';

export interface TSignInLimits {
  perAddressPerMinute: number;
  perAccountPerMinute: number;
}

/** Throws RATE_LIMITED with Retry-After when either budget is spent; records the attempt otherwise. */
export async function enforceSignInLimit(
  limiter: RateLimiter,
  limits: TSignInLimits,
  attempt: { ip: string; email: string | undefined },
): Promise<void> {
  const checks = [{ key: `signin:ip:${attempt.ip}`, limit: limits.perAddressPerMinute }];
  const email = attempt.email?.trim().toLowerCase();
  if (email) checks.push({ key: `signin:account:${email}`, limit: limits.perAccountPerMinute });
  for (const { key, limit } of checks) {
    const decision = await limiter.consume(key, { limit, windowMs: 60_000 });
    if (!decision.allowed) {
      rateLimitExceeded({
        limit: key.startsWith('signin:ip:') ? 'signin_address' : 'signin_account',
        ip: attempt.ip,
      });
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      throw new AppError('RATE_LIMITED', 'Too many sign-in attempts. Wait a minute and try again.', {
        headers: { 'Retry-After': String(seconds) },
      });
    }
  }
}
