// Optional Redis: when REDIS_URL is set, Socket.IO's adapter, rate limits and caches use it; without
// it each has an in-memory fallback.
import { Redis } from 'ioredis';

export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: `classroom-messaging:${name}`,
    maxRetriesPerRequest: 3,
    lazyConnect: false,
  });
}
