// The notification machinery of a server process: the VAPID keys, the mailer, the planner (new
// messages → pending deliveries and flush jobs, every second and after each local send) and a job
// worker for the email and push flushes. Every process runs both: the planner serialises on its
// cursor row and the jobs are claimed with SKIP LOCKED, so two processes share the work and never
// do the same piece twice.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { startJobWorker, type JobWorker } from '@/jobs/worker';
import type { EventBus } from '@/messaging/events';
import {
  nobodyConnected,
  systemClock,
  type Clock,
  type NotificationsContext,
  type Presence,
} from '@/notifications/context';
import { planNotifications } from '@/notifications/plan-notifications';
import { notificationHandlers } from '@/notifications/run-notifications';
import { readOrCreateDataFile } from '@/platform/data-file';
import type { TEnv } from '@/platform/env';
import { logger } from '@/platform/logger';
import { createMailer, type Mailer } from '@/platform/mailer';
import { metrics, setGaugeSource } from '@/platform/metrics';
import { createPushSender, generateVapidKeys, type VapidKeys } from '@/platform/web-push';
import { startPeriodicJob, type PeriodicJob } from './periodic-job';

/**
 * VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY, or a pair generated once into $DATA_DIR/vapid-keys.json (as
 * the auth secret is): the same across restarts and for every process sharing the data folder.
 * Processes on different machines must be given the same pair, or browsers' subscriptions made
 * through one are refused by the push service when another sends.
 */
export function resolveVapidKeys(
  config: Pick<TEnv, 'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY' | 'DATA_DIR'>,
): VapidKeys {
  if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY)
    return { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY };
  const stored = readOrCreateDataFile(config.DATA_DIR, 'vapid-keys.json', () =>
    JSON.stringify(generateVapidKeys()),
  );
  return JSON.parse(stored) as VapidKeys;
}

export function mailerFromEnv(config: Pick<TEnv, 'SMTP_URL' | 'DATA_DIR' | 'EMAIL_FROM'>): Mailer {
  return createMailer({
    smtpUrl: config.SMTP_URL,
    outboxDir: path.resolve(config.DATA_DIR, 'outbox'),
    from: config.EMAIL_FROM,
  });
}

export function notificationsContextFromEnv(
  config: TEnv,
  opts: { db: Db; secret: string; presence?: Presence; clock?: Clock },
): NotificationsContext {
  return {
    db: opts.db,
    clock: opts.clock ?? systemClock,
    mailer: mailerFromEnv(config),
    push: createPushSender({ keys: resolveVapidKeys(config), subject: config.VAPID_SUBJECT }),
    presence: opts.presence ?? nobodyConnected,
    appUrl: config.APP_URL,
    secret: opts.secret,
    emailDelayMs: config.NOTIFY_EMAIL_DELAY * 1000,
  };
}

export interface Notifications {
  worker: JobWorker;
  planner: PeriodicJob;
  /** Plans what is new and runs what is due, until nothing is (tests, scripts). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export function startNotifications(
  ctx: NotificationsContext,
  opts: {
    events?: EventBus;
    planEveryMs?: number;
    pollMs?: number;
    leaseMs?: number;
    workerId?: string;
  } = {},
): Notifications {
  const log = logger().child({ component: 'notifications' });
  const worker = startJobWorker({
    db: ctx.db,
    handlers: notificationHandlers(ctx),
    pollMs: opts.pollMs ?? 1_000,
    leaseMs: opts.leaseMs,
    workerId: opts.workerId,
    now: () => ctx.clock.now(),
    onFailure: (job, err, final) => {
      const channel = job.queue.endsWith('push') ? 'push' : 'email';
      metrics().notificationDeliveryFailures.inc({ channel });
      if (final) metrics().notificationJobsFailed.inc({ channel });
      log.warn(
        { event: 'delivery.failed', channel, jobId: job.id, key: job.key, attempt: job.attempt, final, err },
        'delivery.failed',
      );
    },
  });
  // /api/metrics reads the jobs table at each scrape: what waits, and what was given up for good.
  const countJobs = async (state: 'queued' | 'failed') => {
    const [row] = await queryRows<{ n: string | number }>(
      ctx.db,
      sql`select count(*) as n from jobs where state = ${state}`,
    );
    return Number(row?.n ?? 0);
  };
  setGaugeSource('notificationJobsQueued', () => countJobs('queued'));
  setGaugeSource('notificationJobsFailed', () => countJobs('failed'));
  const plan = async () => {
    for (;;) {
      const { planned, more } = await planNotifications(ctx);
      if (planned) worker.wake();
      if (!more) return;
    }
  };
  const planner = startPeriodicJob({
    name: 'notification-planner',
    firstRunMs: opts.planEveryMs ?? 1_000,
    everyMs: opts.planEveryMs ?? 1_000,
    run: plan,
  });
  // A local send is planned soon after the sequencer numbers it, rather than at the next tick.
  const unsubscribe = opts.events?.subscribe((e) => {
    if (e.type === 'message.created') setTimeout(() => void planner.runOnce(), 300).unref();
  });
  return {
    worker,
    planner,
    async drain() {
      await plan();
      await worker.drain();
    },
    async stop() {
      unsubscribe?.();
      planner.stop();
      await worker.stop();
      ctx.mailer.close();
    },
  };
}
