import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/platform/env';

describe('env', () => {
  it('has working defaults for the embedded mode', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: './.data', APP_URL: 'http://localhost:3000' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', REDIS_URL: ' ' }).DATABASE_URL).toBeUndefined();
  });

  it('explains a bad value', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(EnvError);
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => parseEnv({ AUTH_SECRET: 'short' })).toThrow(/AUTH_SECRET/);
  });

  it('reads the send rate limit: a whole number of messages per minute, at least 1, default 30', () => {
    expect(parseEnv({}).MESSAGE_RATE_LIMIT_PER_MINUTE).toBe(30);
    expect(parseEnv({ MESSAGE_RATE_LIMIT_PER_MINUTE: '' }).MESSAGE_RATE_LIMIT_PER_MINUTE).toBe(30);
    expect(parseEnv({ MESSAGE_RATE_LIMIT_PER_MINUTE: ' ' }).MESSAGE_RATE_LIMIT_PER_MINUTE).toBe(30);
    expect(parseEnv({ MESSAGE_RATE_LIMIT_PER_MINUTE: '1' }).MESSAGE_RATE_LIMIT_PER_MINUTE).toBe(1);
    expect(parseEnv({ MESSAGE_RATE_LIMIT_PER_MINUTE: '100000' }).MESSAGE_RATE_LIMIT_PER_MINUTE).toBe(100_000);
    for (const bad of ['0', '-5', '2.5', 'lots', '30/min', '1e400']) {
      expect(() => parseEnv({ MESSAGE_RATE_LIMIT_PER_MINUTE: bad }), bad).toThrow(EnvError);
      expect(() => parseEnv({ MESSAGE_RATE_LIMIT_PER_MINUTE: bad }), bad).toThrow(
        /MESSAGE_RATE_LIMIT_PER_MINUTE: must be/,
      );
    }
  });

  it('reads the change feed window: whole days, at least 1, default 30', () => {
    expect(parseEnv({}).FEED_RETENTION_DAYS).toBe(30);
    expect(parseEnv({ FEED_RETENTION_DAYS: '' }).FEED_RETENTION_DAYS).toBe(30);
    expect(parseEnv({ FEED_RETENTION_DAYS: '1' }).FEED_RETENTION_DAYS).toBe(1);
    expect(parseEnv({ FEED_RETENTION_DAYS: '90' }).FEED_RETENTION_DAYS).toBe(90);
    for (const bad of ['0', '-1', '1.5', 'a month']) {
      expect(() => parseEnv({ FEED_RETENTION_DAYS: bad }), bad).toThrow(/FEED_RETENTION_DAYS: must be/);
    }
  });
});
