// Sliding-window rate limits (e.g. 30 messages per minute per user). With Redis every app process
// draws on one shared budget; without it each process keeps its own in memory.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { logger } from './logger';
import { createRedis } from './redis';

export interface RateLimitRule {
  /** max events */
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** events left in the window after this one */
  remaining: number;
  /** 0 when allowed; else ms until one more event would be allowed (>= 1) */
  retryAfterMs: number;
}

export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  /** Records one event for `key` if allowed. A denied attempt is NOT recorded (does not extend the block). */
  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

// A bad rule is a programming error; failing loudly beats a limiter that silently allows or blocks all.
function assertRule({ limit, windowMs }: RateLimitRule): void {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`rate limit must be an integer >= 1, got ${limit}`);
  if (!Number.isFinite(windowMs) || windowMs <= 0)
    throw new RangeError(`rate limit windowMs must be a positive number, got ${windowMs}`);
}

const SWEEP_INTERVAL_MS = 60_000;

interface MemoryEntry {
  /** ascending event times */
  hits: number[];
  /** when the newest hit leaves its window; after that the entry holds nothing */
  expiresAt: number;
}

export function createMemoryRateLimiter(opts: { now?: () => number } = {}): RateLimiter {
  // Monotonic by default: a wall-clock step backwards would otherwise unsort the hit lists.
  const now = opts.now ?? (() => performance.now());
  const entries = new Map<string, MemoryEntry>();

  // Keys of users who went quiet are pruned only on their next event, which may never come.
  const sweeper = setInterval(() => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  return {
    kind: 'memory',
    async consume(key, rule) {
      assertRule(rule);
      const t = now();
      const hits = entries.get(key)?.hits ?? [];
      let expired = 0;
      while (expired < hits.length && hits[expired]! <= t - rule.windowMs) expired++;
      if (expired > 0) hits.splice(0, expired);

      if (hits.length < rule.limit) {
        hits.push(t);
        entries.set(key, { hits, expiresAt: t + rule.windowMs });
        return { allowed: true, remaining: rule.limit - hits.length, retryAfterMs: 0 };
      }
      // One more fits once enough of the oldest hits leave the window; with a lowered limit that is
      // more than just the first.
      const blocker = hits[hits.length - rule.limit]!;
      return {
        allowed: false,
        remaining: 0,
        retryAfterMs: Math.max(1, Math.ceil(blocker + rule.windowMs - t)),
      };
    },
    async close() {
      clearInterval(sweeper);
      entries.clear();
    },
  };
}

// Scores are microseconds from Redis's own clock, so processes with skewed clocks still agree and
// two events in the same millisecond keep their order. Members come from the caller because a
// script must not generate randomness. Returns { allowed (1|0), remaining, retryAfterMs }.
const CONSUME_SCRIPT = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local window = window_ms * 1000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, string.format('%.0f', now), ARGV[3])
  redis.call('PEXPIRE', key, math.ceil(window_ms))
  return {1, limit - count - 1, 0}
end
local blocker = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
local retry = math.ceil((tonumber(blocker[2]) + window - now) / 1000)
if retry < 1 then retry = 1 end
return {0, 0, retry}
`;

const COMMAND = 'cmRateLimitConsume';
/** Past this the limiter stops waiting for Redis: a blackholed host would otherwise hold every send. */
const REDIS_TIMEOUT_MS = 500;
const WARN_EVERY_MS = 60_000;

type WithConsume = Redis & {
  [COMMAND](key: string, limit: number, windowMs: number, member: string): Promise<[number, number, number]>;
};

export function createRedisRateLimiter(
  redis: Redis,
  opts: { prefix?: string; ownsClient?: boolean } = {},
): RateLimiter {
  const prefix = opts.prefix ?? 'cm:rl:';
  // defineCommand sends EVALSHA and falls back to EVAL after a Redis restart flushed the script cache.
  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: CONSUME_SCRIPT });
  const client = redis as WithConsume;
  const instance = randomUUID();
  let seq = 0;

  // An outage hits every send; one line a minute says so without flooding the log.
  let lastWarnAt = -Infinity;
  const warn = (err: unknown) => {
    const t = Date.now();
    if (t - lastWarnAt < WARN_EVERY_MS) return;
    lastWarnAt = t;
    logger().warn({ err }, 'rate limiter: Redis unavailable, allowing events unchecked');
  };
  // Without a listener ioredis prints every reconnect failure to stderr; a borrowed client's errors
  // are its owner's to handle.
  if (opts.ownsClient) redis.on('error', warn);

  return {
    kind: 'redis',
    async consume(key, rule) {
      assertRule(rule);
      // A limiter outage must not stop people messaging, so any failure allows the event.
      const failOpen = (err: unknown): RateLimitDecision => {
        warn(err);
        return { allowed: true, remaining: rule.limit - 1, retryAfterMs: 0 };
      };
      // While ioredis is reconnecting Redis is known to be down; queueing would only add latency.
      if (redis.status === 'reconnecting' || redis.status === 'close' || redis.status === 'end')
        return failOpen(new Error(`Redis connection is ${redis.status}`));

      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not answer within ${REDIS_TIMEOUT_MS} ms`)),
          REDIS_TIMEOUT_MS,
        );
      });
      try {
        const member = `${instance}:${seq++}`;
        const [allowed, remaining, retryAfterMs] = await Promise.race([
          client[COMMAND](prefix + key, rule.limit, rule.windowMs, member),
          timeout,
        ]);
        return { allowed: allowed === 1, remaining, retryAfterMs };
      } catch (err) {
        return failOpen(err);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (!opts.ownsClient) return;
      redis.off('error', warn);
      // QUIT waits for a connection that may never come back; a down client is just dropped.
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

/** REDIS_URL set -> Redis limiter on its own connection (created with createRedis from '@/platform/redis'), else memory. */
export function createRateLimiter(opts: { redisUrl?: string }): RateLimiter {
  if (!opts.redisUrl) return createMemoryRateLimiter();
  return createRedisRateLimiter(createRedis(opts.redisUrl, 'rate-limit'), { ownsClient: true });
}
