// Prometheus metrics. One registry per process, shared by server.ts and Next's bundles.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

interface Metrics {
  registry: Registry;
  messagesSent: Counter;
  sendsRateLimited: Counter;
  realtimeConnections: Gauge;
  realtimeReplayed: Counter;
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
    };
  }
  return g[key];
}
