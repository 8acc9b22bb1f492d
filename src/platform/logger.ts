import pino from 'pino';
import { env } from './env';

const key = Symbol.for('classroom-messaging.logger');
type G = typeof globalThis & { [key]?: pino.Logger };

/** The process logger. One instance per process, shared by server.ts and Next's bundles. */
export function logger(): pino.Logger {
  const g = globalThis as G;
  g[key] ??= pino({
    level: env().LOG_LEVEL,
    base: { app: 'classroom-messaging' },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'password'],
  });
  return g[key];
}
