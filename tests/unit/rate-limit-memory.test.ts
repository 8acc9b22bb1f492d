// The in-memory limiter on a hand-driven clock, so window edges are exact instead of timing-dependent.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter, createRateLimiter, type RateLimiter } from '@/platform/rate-limit';

const perMinute = { limit: 30, windowMs: 60_000 };
const open: RateLimiter[] = [];

function limiterAt(start = 1_000_000) {
  const clock = { t: start };
  const limiter = createMemoryRateLimiter({ now: () => clock.t });
  open.push(limiter);
  return { clock, limiter };
}

async function consumeN(limiter: RateLimiter, key: string, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await limiter.consume(key, perMinute));
  return out;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

describe('memory rate limiter', () => {
  it('allows 30 a minute and denies the 31st until the first leaves the window', async () => {
    const { clock, limiter } = limiterAt();
    const first = await limiter.consume('u1', perMinute);
    expect(first).toEqual({ allowed: true, remaining: 29, retryAfterMs: 0 });
    clock.t += 10_000;
    const rest = await consumeN(limiter, 'u1', 29);
    expect(rest.every((d) => d.allowed)).toBe(true);
    expect(rest.at(-1)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });

    clock.t += 5_000;
    // The first event was 15 s ago, so it leaves the 60 s window in 45 s.
    expect(await limiter.consume('u1', perMinute)).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 45_000,
    });
  });

  it('slides: each slot frees exactly windowMs after its event', async () => {
    const { clock, limiter } = limiterAt();
    const rule = { limit: 2, windowMs: 1_000 };
    expect((await limiter.consume('k', rule)).allowed).toBe(true); // t=0
    clock.t += 400;
    expect((await limiter.consume('k', rule)).allowed).toBe(true); // t=400

    clock.t += 599; // t=999: both still inside the window
    expect(await limiter.consume('k', rule)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1 });
    clock.t += 1; // t=1000: the t=0 event has left
    expect(await limiter.consume('k', rule)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    // Now the t=400 event is the oldest: it frees a slot at t=1400, not at a fixed window boundary.
    expect(await limiter.consume('k', rule)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 400 });
    clock.t += 400;
    expect((await limiter.consume('k', rule)).allowed).toBe(true);
  });

  it('keeps keys independent', async () => {
    const { limiter } = limiterAt();
    const a = await consumeN(limiter, 'user-a', 31);
    expect(a.at(-1)?.allowed).toBe(false);
    const b = await limiter.consume('user-b', perMinute);
    expect(b).toEqual({ allowed: true, remaining: 29, retryAfterMs: 0 });
  });

  it('does not record denied attempts, so retrying does not extend the block', async () => {
    const { clock, limiter } = limiterAt();
    await consumeN(limiter, 'u', 30);
    // Hammer it through the window: had any denial counted, the budget would not come back.
    for (let i = 0; i < 59; i++) {
      clock.t += 1_000;
      const d = await limiter.consume('u', perMinute);
      expect(d.allowed).toBe(false);
      expect(d.retryAfterMs).toBe(60_000 - (i + 1) * 1_000);
    }
    clock.t += 1_000;
    const after = await consumeN(limiter, 'u', 30);
    expect(after.every((d) => d.allowed)).toBe(true);
    expect((await limiter.consume('u', perMinute)).allowed).toBe(false);
  });

  it('honours a lowered limit against events already recorded', async () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 5; i++) {
      await limiter.consume('u', { limit: 5, windowMs: 1_000 });
      clock.t += 100;
    }
    // t=500 with events at 0..400: a limit of 3 needs the events at 0, 100 and 200 gone, i.e. t=1200.
    expect(await limiter.consume('u', { limit: 3, windowMs: 1_000 })).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 700,
    });
  });

  it('rejects a rule that cannot mean anything', async () => {
    const { limiter } = limiterAt();
    await expect(limiter.consume('u', { limit: 0, windowMs: 1_000 })).rejects.toThrow(RangeError);
    await expect(limiter.consume('u', { limit: 1.5, windowMs: 1_000 })).rejects.toThrow(RangeError);
    await expect(limiter.consume('u', { limit: 1, windowMs: 0 })).rejects.toThrow(RangeError);
  });

  it('falls back to memory without a Redis URL', async () => {
    const limiter = createRateLimiter({});
    open.push(limiter);
    expect(limiter.kind).toBe('memory');
    expect(await limiter.consume('u', { limit: 1, windowMs: 60_000 })).toMatchObject({ allowed: true });
    const denied = await limiter.consume('u', { limit: 1, windowMs: 60_000 });
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterMs).toBeGreaterThan(59_000);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(60_000);
  });
});
