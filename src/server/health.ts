// What /api/health (liveness: the process answers and its database does) and /api/ready (readiness:
// send it traffic) report. Readiness is the load balancer's question: the database answers, Redis
// answers when configured, every committed migration is applied, and the process is not draining
// after a SIGTERM. Any of them failing is a 503, with which one in the body.
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { getDatabase } from '@/db';
import { pendingMigrations } from '@/db/migrate';
import { env } from '@/platform/env';
import { isDraining } from '@/platform/lifecycle';
import { createRedis } from '@/platform/redis';

export async function checkHealth(): Promise<{ status: 'ok'; db: string }> {
  const database = await getDatabase();
  await database.db.execute(sql`select 1`);
  return { status: 'ok', db: database.kind };
}

type TCheck = 'ok' | 'failed' | 'not_configured' | 'draining' | `pending:${number}`;

export interface TReadiness {
  status: 'ready' | 'not_ready';
  checks: { process: TCheck; db: TCheck; redis: TCheck; migrations: TCheck };
}

/** A check that does not answer within this long has failed: a probe must not hang. */
const CHECK_TIMEOUT_MS = 2_000;

export async function checkReadiness(): Promise<TReadiness> {
  const [db, migrations, redis] = await Promise.all([
    bounded(async () => {
      const database = await getDatabase();
      await database.db.execute(sql`select 1`);
      return 'ok' as const;
    }),
    bounded(async () => {
      const pending = await pendingMigrations(await getDatabase());
      return pending === 0 ? ('ok' as const) : (`pending:${pending}` as const);
    }),
    env().REDIS_URL ? bounded(pingRedis) : Promise.resolve('not_configured' as const),
  ]);
  const checks = { process: isDraining() ? ('draining' as const) : ('ok' as const), db, redis, migrations };
  const ready = Object.values(checks).every((c) => c === 'ok' || c === 'not_configured');
  return { status: ready ? 'ready' : 'not_ready', checks };
}

async function bounded(check: () => Promise<TCheck>): Promise<TCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<TCheck>(
    (resolve) => (timer = setTimeout(() => resolve('failed'), CHECK_TIMEOUT_MS)),
  );
  try {
    return await Promise.race([check().catch(() => 'failed' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const key = Symbol.for('classroom-messaging.readiness-redis');
type G = typeof globalThis & { [key]?: Redis };

async function pingRedis(): Promise<TCheck> {
  const g = globalThis as G;
  g[key] ??= createRedis(env().REDIS_URL!, 'readiness');
  return (await g[key].ping()) === 'PONG' ? 'ok' : 'failed';
}
