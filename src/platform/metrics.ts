// Prometheus metrics. One registry per process, shared by server.ts and Next's bundles.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The stages of one send, in order, each timed on its own so a latency tail can be placed:
 * receive (socket event to the domain call: payload, event budget), checks (access, idempotency,
 * the socket's session re-check beside them, policy, rate limit), transaction (the write: one
 * statement, shared with concurrent sends, that commits on its own), publish (after the commit, to
 * the bus), sequence (commit to the sequencer pass that numbers it), dispatch (pass to this
 * process's delivery, through Redis when another process ran it) and emit (to the sockets).
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
  messagesSent: Counter<'type'>;
  sendsRateLimited: Counter;
  realtimeConnections: Gauge;
  realtimeReplayed: Counter;
  sendStageSeconds: Histogram<'stage'>;
  batchSize: Histogram<'batch'>;
  notificationJobsQueued: Counter<'channel'>;
  notificationJobsFailed: Counter<'channel'>;
  notificationDeliveryFailures: Counter<'channel'>;
  notificationsSent: Counter<'channel'>;
  sendSeconds: Histogram<'type'>;
  deliveryLagSeconds: Histogram;
  realtimeEvents: Counter<'event'>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpRequestSeconds: Histogram<'method' | 'route'>;
  authFailures: Counter<'reason'>;
  rateLimitHits: Counter<'limit'>;
  deliveryFailures: Counter;
}

/** Records how long one stage of a send took, in seconds. */
export function observeSendStage(stage: TSendStage, seconds: number): void {
  if (seconds >= 0) metrics().sendStageSeconds.observe({ stage }, seconds);
}

/** A stored send, by its thread's type (DIRECT, CLASS): the counter and the whole call's latency. */
export function recordMessageSent(type: string, seconds: number): void {
  const m = metrics();
  m.messagesSent.inc({ type });
  if (seconds >= 0) m.sendSeconds.observe({ type }, seconds);
}

/**
 * Gauges whose value lives elsewhere (the database pool, the change feed's frontier, the
 * notification jobs table): the owner registers a reader once, and each scrape asks it. A gauge
 * nobody registered reads 0, so a dashboard panel is never "no data" on a process without it.
 */
export const SOURCED_GAUGES = {
  dbPoolInUse: {
    name: 'cm_db_pool_in_use',
    help: 'PostgreSQL pool connections checked out (0 on the embedded database).',
  },
  dbPoolWaiting: {
    name: 'cm_db_pool_waiting',
    help: 'Queries waiting for a PostgreSQL pool connection.',
  },
  feedPositionsBehind: {
    name: 'cm_feed_positions_behind',
    help: "Change-feed positions committed but not yet delivered to this process's sockets.",
  },
  // Read from the durable jobs table (src/server/notifications.ts registers them).
  notificationJobsQueued: {
    name: 'cm_notification_jobs_queued',
    help: 'Notification jobs waiting to run.',
  },
  notificationJobsFailed: {
    name: 'cm_notification_jobs_failed',
    help: 'Notification jobs that failed for good (their last attempt failed).',
  },
} as const;
export type TSourcedGauge = keyof typeof SOURCED_GAUGES;

const sourcesKey = Symbol.for('classroom-messaging.metric-sources');
type S = typeof globalThis & { [sourcesKey]?: Map<TSourcedGauge, () => number | Promise<number>> };
function sources() {
  const g = globalThis as S;
  g[sourcesKey] ??= new Map();
  return g[sourcesKey];
}

/** Makes `read` the value of a sourced gauge at each scrape (the last registration wins). */
export function setGaugeSource(gauge: TSourcedGauge, read: () => number | Promise<number>): void {
  sources().set(gauge, read);
}

const key = Symbol.for('classroom-messaging.metrics');
type G = typeof globalThis & { [key]?: Metrics };

/** Seconds, from 1 ms to 10 s: requests, sends and deliveries alike. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function metrics(): Metrics {
  const g = globalThis as G;
  if (!g[key]) {
    const registry = new Registry();
    // The defaults include cm_nodejs_eventloop_lag_seconds (and its percentiles): the event-loop lag.
    collectDefaultMetrics({ register: registry, prefix: 'cm_' });
    for (const [gauge, { name, help }] of Object.entries(SOURCED_GAUGES)) {
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const read = sources().get(gauge as TSourcedGauge);
          this.set(read ? await Promise.resolve(read()).catch(() => 0) : 0);
        },
      });
    }
    g[key] = {
      registry,
      messagesSent: new Counter({
        name: 'cm_messages_sent_total',
        help: 'Messages stored by the send path, by thread type (retries that matched an existing key are not counted).',
        labelNames: ['type'],
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
      batchSize: new Histogram({
        name: 'cm_db_batch_size',
        help: 'Items per shared database statement (group commit): send writes, send access checks, socket session checks.',
        labelNames: ['batch'],
        buckets: [1, 2, 4, 8, 16, 32, 64, 128],
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
      sendSeconds: new Histogram({
        name: 'cm_send_duration_seconds',
        help: 'The send call, from its input to its return (checks, write, publish), by thread type.',
        labelNames: ['type'],
        buckets: LATENCY_BUCKETS,
        registers: [registry],
      }),
      deliveryLagSeconds: new Histogram({
        name: 'cm_delivery_lag_seconds',
        help: "From a new message's commit to its emit to this process's sockets.",
        buckets: LATENCY_BUCKETS,
        registers: [registry],
      }),
      realtimeEvents: new Counter({
        name: 'cm_realtime_events_emitted_total',
        help: 'Durable events emitted to sockets by this process, by event name (rate() gives events per second).',
        labelNames: ['event'],
        registers: [registry],
      }),
      httpRequests: new Counter({
        name: 'cm_http_requests_total',
        help: 'HTTP requests answered, by method, route template (never an id) and status.',
        labelNames: ['method', 'route', 'status'],
        registers: [registry],
      }),
      httpRequestSeconds: new Histogram({
        name: 'cm_http_request_duration_seconds',
        help: 'HTTP request latency until the response ended, by method and route template.',
        labelNames: ['method', 'route'],
        buckets: LATENCY_BUCKETS,
        registers: [registry],
      }),
      authFailures: new Counter({
        name: 'cm_auth_failures_total',
        help: 'Refused authentications, by reason (bad credentials, no session, wrong role).',
        labelNames: ['reason'],
        registers: [registry],
      }),
      rateLimitHits: new Counter({
        name: 'cm_rate_limit_hits_total',
        help: 'Requests refused by a rate limit, by limit (send, sign-in, search, socket events).',
        labelNames: ['limit'],
        registers: [registry],
      }),
      deliveryFailures: new Counter({
        name: 'cm_delivery_failures_total',
        help: 'Durable events this process failed to emit to its sockets (clients catch up on resume).',
        registers: [registry],
      }),
    };
  }
  return g[key];
}
