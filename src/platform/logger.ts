import { createRequire } from 'node:module';
import pino from 'pino';
import { env } from './env';
import { currentRequest } from './request-context';

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
  g[key] ??= createLogger({ level: env().LOG_LEVEL }, destination());
  return g[key];
}

/** A logger configured as the app's (redaction, the request id on every line) onto `destination`. */
export function createLogger(opts: { level: string }, destination?: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level: opts.level,
      base: { app: 'classroom-messaging' },
      redact: ['req.headers.cookie', 'req.headers.authorization', 'password'],
      // Every line written while a request is being served carries its id (request-context.ts).
      mixin: () => {
        const request = currentRequest();
        return request ? { requestId: request.requestId } : {};
      },
    },
    destination,
  );
}

/** Replaces the process logger (tests read what the app logs). */
export function setLogger(instance: pino.Logger): void {
  (globalThis as G)[key] = instance;
}
