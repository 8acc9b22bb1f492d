// The Redis limiter against a real server: two limiters on two connections stand in for two app
// processes, which must draw on one budget. Runs only where REDIS_URL is configured.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '@/platform/logger';
import { createRateLimiter, createRedisRateLimiter, type RateLimiter } from '@/platform/rate-limit';
import { createRedis } from '@/platform/redis';

const url = process.env.REDIS_URL ?? '';
const perMinute = { limit: 30, windowMs: 60_000 };

describe.runIf(!!process.env.REDIS_URL)('redis rate limiter', () => {
  const limiters: RateLimiter[] = [];
  // Separate from the limiters' connections: inspects and cleans up the keys they write.
  let admin: Redis | undefined;
  const prefixes: string[] = [];

  function processLimiter(prefix: string) {
    const limiter = createRedisRateLimiter(createRedis(url, 'test-rate-limit'), { prefix, ownsClient: true });
    limiters.push(limiter);
    return limiter;
  }

  function freshPrefix() {
    const prefix = `cm:test:rl:${randomUUID()}:`;
    prefixes.push(prefix);
    return prefix;
  }

  function adminClient() {
    admin ??= createRedis(url, 'test-rate-limit-admin');
    return admin;
  }

  afterEach(async () => {
    vi.restoreAllMocks();
    const keys = (await Promise.all(prefixes.splice(0).map((p) => adminClient().keys(`${p}*`)))).flat();
    if (keys.length > 0) await adminClient().del(...keys);
  });

  afterAll(async () => {
    await Promise.all(limiters.splice(0).map((l) => l.close()));
    await admin?.quit();
  });

  it('shares one budget between two processes', async () => {
    const prefix = freshPrefix();
    const a = processLimiter(prefix);
    const b = processLimiter(prefix);
    expect(a.kind).toBe('redis');

    for (let i = 0; i < 15; i++) {
      expect((await a.consume('user-1', perMinute)).allowed).toBe(true);
      expect((await b.consume('user-1', perMinute)).allowed).toBe(true);
    }
    const onA = await a.consume('user-1', perMinute);
    const onB = await b.consume('user-1', perMinute);
    for (const denied of [onA, onB]) {
      expect(denied.allowed).toBe(false);
      expect(denied.remaining).toBe(0);
      expect(denied.retryAfterMs).toBeGreaterThan(0);
      expect(denied.retryAfterMs).toBeLessThanOrEqual(60_000);
    }

    // Denied attempts were not stored, and the key expires with the window.
    const key = `${prefix}user-1`;
    expect(await adminClient().zcard(key)).toBe(30);
    const ttl = await adminClient().pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);

    // Another user on the same processes is untouched.
    expect(await a.consume('user-2', perMinute)).toEqual({ allowed: true, remaining: 29, retryAfterMs: 0 });
  });

  it('counts down remaining across processes and frees a slot after retryAfterMs', async () => {
    const prefix = freshPrefix();
    const a = processLimiter(prefix);
    const b = processLimiter(prefix);
    const rule = { limit: 2, windowMs: 300 };

    expect(await a.consume('u', rule)).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    expect(await b.consume('u', rule)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    const denied = await a.consume('u', rule);
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterMs).toBeGreaterThan(0);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(300);

    await new Promise((r) => setTimeout(r, denied.retryAfterMs));
    expect((await b.consume('u', rule)).allowed).toBe(true);
  });

  it('uses its own connection and the default prefix through createRateLimiter', async () => {
    const limiter = createRateLimiter({ redisUrl: url });
    limiters.push(limiter);
    expect(limiter.kind).toBe('redis');
    const key = `test-${randomUUID()}`;
    try {
      expect(await limiter.consume(key, perMinute)).toEqual({
        allowed: true,
        remaining: 29,
        retryAfterMs: 0,
      });
      expect(await adminClient().zcard(`cm:rl:${key}`)).toBe(1);
    } finally {
      await adminClient().del(`cm:rl:${key}`);
    }
  });

  it('fails open, warning at most once a minute, when Redis is unreachable', async () => {
    const warn = vi.spyOn(logger(), 'warn');
    // Nothing listens on port 1: a real client with a dead server, not a stand-in for one.
    const down = createRedisRateLimiter(createRedis('redis://127.0.0.1:1', 'test-rate-limit-down'), {
      ownsClient: true,
    });
    limiters.push(down);
    const rule = { limit: 1, windowMs: 60_000 };
    for (let i = 0; i < 3; i++)
      expect(await down.consume('u', rule)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toMatch(/Redis unavailable/);
  });
});
