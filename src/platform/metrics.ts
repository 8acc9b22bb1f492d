// Prometheus metrics. One registry per process, shared by server.ts and Next's bundles.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The stages of one send, in order, each timed on its own so a latency tail can be placed:
 * receive (socket event to the domain call: payload, event budget, session re-check), checks
 * (access, idempotency, policy, rate limit), transaction (the write: one statement that commits on
 * its own), publish (after the commit, to the bus), sequence (commit to the sequencer pass that numbers it), dispatch (pass to
 * this process's delivery, through Redis when another process ran it) and emit (to the sockets).
 */
export const SEND_STAGES = [
  'receive',
  'checks',
  'transaction',
  'publish',
  'sequence',
  'dispatch',
  'emit',
] as const;
export type TSendStage = (typeof SEND_STAGES)[number];

interface Metrics {
  registry: Registry;
  messagesSent: Counter;
  sendsRateLimited: Counter;
  realtimeConnections: Gauge;
  realtimeReplayed: Counter;
  sendStageSeconds: Histogram<'stage'>;
  notificationJobsQueued: Counter<'channel'>;
  notificationJobsFailed: Counter<'channel'>;
  notificationDeliveryFailures: Counter<'channel'>;
  notificationsSent: Counter<'channel'>;
}

/** Records how long one stage of a send took, in seconds. */
export function observeSendStage(stage: TSendStage, seconds: number): void {
  if (seconds >= 0) metrics().sendStageSeconds.observe({ stage }, seconds);
}

const key = Symbol.for('classroom-messaging.metrics');
type G = typeof globalThis & { [key]?: Metrics };

export function metrics(): Metrics {
  const g = globalThis as G;
  if (!g[key]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'cm_' });
    g[key] = {
      registry,
      messagesSent: new Counter({
        name: 'cm_messages_sent_total',
        help: 'Messages stored by the send path (retries that matched an existing key are not counted).',
        registers: [registry],
      }),
      sendsRateLimited: new Counter({
        name: 'cm_sends_rate_limited_total',
        help: 'Sends refused with RATE_LIMITED (more than 30 messages a minute from one user).',
        registers: [registry],
      }),
      realtimeConnections: new Gauge({
        name: 'cm_realtime_connections',
        help: 'Authenticated Socket.IO connections on namespace /messages in this process.',
        registers: [registry],
      }),
      realtimeReplayed: new Counter({
        name: 'cm_realtime_replayed_total',
        help: 'Durable events replayed from the database to reconnecting clients.',
        registers: [registry],
      }),
      sendStageSeconds: new Histogram({
        name: 'cm_send_stage_seconds',
        help: 'Time spent in each stage of a send, from the socket event to the emit (see SEND_STAGES).',
        labelNames: ['stage'],
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      }),
      notificationJobsQueued: new Counter({
        name: 'cm_notification_jobs_queued_total',
        help: 'Notification flush jobs asked for (one per user and channel whose new messages were planned).',
        labelNames: ['channel'],
        registers: [registry],
      }),
      notificationJobsFailed: new Counter({
        name: 'cm_notification_jobs_failed_total',
        help: 'Notification jobs given up after their last attempt.',
        labelNames: ['channel'],
        registers: [registry],
      }),
      notificationDeliveryFailures: new Counter({
        name: 'cm_notification_delivery_failures_total',
        help: 'Failed attempts to deliver an email or a push (each is retried with backoff).',
        labelNames: ['channel'],
        registers: [registry],
      }),
      notificationsSent: new Counter({
        name: 'cm_notifications_sent_total',
        help: 'Emails and pushes sent (one email digest or one push counts once).',
        labelNames: ['channel'],
        registers: [registry],
      }),
    };
  }
  return g[key];
}
