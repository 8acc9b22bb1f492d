import { createRequire } from 'node:module';
import pino from 'pino';
import { env } from './env';

const key = Symbol.for('classroom-messaging.logger');
type G = typeof globalThis & { [key]?: pino.Logger };

/** Readable lines for a person at a terminal; JSON lines (for log collectors) everywhere else. */
function destination(): pino.DestinationStream | undefined {
  const format = env().LOG_FORMAT;
  if (format === 'json' || (format === 'auto' && !process.stdout.isTTY)) return undefined;
  const pretty = createRequire(import.meta.url)('pino-pretty') as (o: object) => pino.DestinationStream;
  return pretty({
    colorize: process.stdout.isTTY,
    sync: true,
    ignore: 'pid,hostname,app',
    translateTime: 'HH:MM:ss',
  });
}

/** The process logger. One instance per process, shared by server.ts and Next's bundles. */
export function logger(): pino.Logger {
  const g = globalThis as G;
  g[key] ??= pino(
    {
      level: env().LOG_LEVEL,
      base: { app: 'classroom-messaging' },
      redact: ['req.headers.cookie', 'req.headers.authorization', 'password'],
    },
    destination(),
  );
  return g[key];
}
