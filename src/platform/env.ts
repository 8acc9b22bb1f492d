// The process environment, validated once with zod. Every variable has a working default for the
// embedded mode, so `npm start` needs none of them.
import { z } from 'zod';
import { parseTrustProxy } from './client-ip';

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const wholeBytes = (fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of bytes' })
      .int('must be a whole number of bytes')
      .min(1, 'must be at least 1')
      .default(fallback),
  );

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
  APP_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string')
      .optional(),
  ),
  /**
   * Server-side prepared statements on PostgreSQL (src/db/prepared-statements.ts). Turn off behind
   * a pooler in transaction mode that does not keep them (PgBouncer before 1.21, or without
   * max_prepared_statements).
   */
  DB_PREPARED_STATEMENTS: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('true')),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./.data')),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  AUTH_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters (try: openssl rand -hex 32)').optional(),
  ),
  /** Bearer token Prometheus sends to /api/metrics. Unset: the endpoint answers 401 to everyone. */
  METRICS_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'must be at least 16 characters (try: openssl rand -hex 32)').optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['auto', 'pretty', 'json']).default('auto')),
  SEED_ON_START: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('true')),
  /** How often each process looks for scheduled messages that are due (ms). */
  SCHEDULED_SEND_POLL_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(200).default(10_000),
  ),
  /** Messages (and new threads) one user may send per sliding minute. */
  MESSAGE_RATE_LIMIT_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of messages per minute' })
      .int('must be a whole number of messages per minute')
      .min(1, 'must be at least 1')
      .default(30),
  ),
  /**
   * Whether X-Forwarded-For is believed: off (default), a number of proxy hops in front of the app,
   * or a comma-separated list of the proxies' addresses and CIDRs.
   */
  TRUST_PROXY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((v) => {
        try {
          parseTrustProxy(v);
          return true;
        } catch {
          return false;
        }
      }, 'must be off, a number of proxy hops, or comma-separated proxy addresses/CIDRs')
      .optional(),
  ),
  /** Sign-in attempts per client address per minute. */
  SIGNIN_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(30)),
  /** Sign-in attempts per account (email) per minute, from any number of addresses. */
  SIGNIN_ACCOUNT_RATE_LIMIT_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).default(10),
  ),
  /** Days of message changes a reconnecting client can be caught up from; older ones are pruned. */
  FEED_RETENTION_DAYS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .default(30),
  ),
  /** A request slower than this (ms) logs a `request.slow` warning with its route template. */
  SLOW_REQUEST_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(1, 'must be at least 1')
      .default(1000),
  ),
  /** Largest file one upload may carry, in bytes (default 25 MB). */
  ATTACHMENT_MAX_BYTES: wholeBytes(25 * 1024 * 1024),
  /** Bytes of uploads one user may keep (default 1 GB). */
  ATTACHMENT_QUOTA_BYTES: wholeBytes(1024 * 1024 * 1024),
  /** Set to keep files in an S3-compatible bucket instead of $DATA_DIR/uploads. */
  S3_BUCKET: z.preprocess(emptyAsUndefined, z.string().optional()),
  S3_REGION: z.preprocess(emptyAsUndefined, z.string().default('us-east-1')),
  /** For S3-compatible services (MinIO, R2, …); unset: AWS. */
  S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.url().optional()),
  S3_ACCESS_KEY_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  S3_SECRET_ACCESS_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Path-style addressing (bucket in the path), which most S3-compatible servers need. */
  S3_FORCE_PATH_STYLE: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('false')),
  /** A key prefix inside the bucket, e.g. `classroom/`. */
  S3_PREFIX: z.preprocess(emptyAsUndefined, z.string().default('')),
  /** smtp:// or smtps:// URL of the mail server; unset: emails are written to $DATA_DIR/outbox as .eml files. */
  SMTP_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  /** The From of notification emails. */
  EMAIL_FROM: z.preprocess(emptyAsUndefined, z.string().default('Classroom Messaging <no-reply@localhost>')),
  /** Seconds an unread message waits before it goes into an email digest (urgent announcements: none). */
  NOTIFY_EMAIL_DELAY: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of seconds' })
      .int('must be a whole number of seconds')
      .min(0, 'must be 0 or more')
      .default(900),
  ),
  /** VAPID keys for web push (both or neither); unset: generated once into $DATA_DIR/vapid-keys.json. */
  VAPID_PUBLIC_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().min(80, 'must be a base64url P-256 public key').optional(),
  ),
  VAPID_PRIVATE_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().min(40, 'must be a base64url P-256 private key').optional(),
  ),
  /** The contact push services see in the VAPID JWT (mailto: or https:). */
  VAPID_SUBJECT: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(mailto:|https:\/\/)/, 'must start with mailto: or https://')
      .default('mailto:admin@localhost'),
  ),
});

export type TEnv = z.infer<typeof ZEnv> & { APP_URL: string };

const ZEnvChecked = ZEnv.refine((e) => !!e.VAPID_PUBLIC_KEY === !!e.VAPID_PRIVATE_KEY, {
  message: 'set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither',
  path: ['VAPID_PRIVATE_KEY'],
});

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const result = ZEnvChecked.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  const env = result.data;
  return { ...env, APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}` };
}

let cached: TEnv | undefined;

/** The validated environment of this process, parsed on first use. */
export function env(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
