// Graceful shutdown on SIGTERM, in the order a rolling deploy needs: readiness turns 503 (the proxy
// stops sending new work), the listener closes (no new connections), socket events already taken
// and HTTP requests in flight finish (new socket events are refused as UNAVAILABLE, and the client
// keeps them queued), then the sockets are closed, which the clients take as a cue to reconnect
// (elsewhere, through the proxy) and resume from the durable feed. Whatever is left closes; the
// process exits within the deadline whatever happens.
import type { Server } from 'node:http';
import { inFlightWork, startDraining, whenIdle } from '@/platform/lifecycle';
import { logger } from '@/platform/logger';

/** The bound: a process told to stop is gone within 10 s. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

export interface GracefulShutdownOptions {
  httpServer: Server;
  /** Closes the sockets (clients reconnect elsewhere) and the realtime machinery. */
  closeRealtime(): Promise<void>;
  /** Run in order after the realtime layer: Next, background jobs, the database. */
  closers: Array<() => Promise<unknown> | unknown>;
  deadlineMs?: number;
  exit?: (code: number) => void;
}

/** Returns the handler for a signal; a second signal while stopping is ignored. */
export function gracefulShutdown(opts: GracefulShutdownOptions): (signal: string) => Promise<void> {
  const deadlineMs = opts.deadlineMs ?? SHUTDOWN_DEADLINE_MS;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  return async (signal) => {
    if (closing) return;
    closing = true;
    const log = logger();
    const started = Date.now();
    log.info({ signal, inFlight: inFlightWork() }, 'shutting down: draining');
    const force = setTimeout(() => {
      log.error({ inFlight: inFlightWork() }, `shutdown did not finish in ${deadlineMs} ms; exiting`);
      exit(1);
    }, deadlineMs);
    force.unref();
    startDraining();
    opts.httpServer.close();
    // Keep-alive connections that are idle now would otherwise hold the listener open.
    opts.httpServer.closeIdleConnections();
    // Leave time for the sockets and the database after the work drains.
    const drained = await whenIdle(Math.max(0, deadlineMs - 3_000));
    if (!drained)
      log.warn({ inFlight: inFlightWork() }, 'in-flight work still running at the drain deadline');
    await opts.closeRealtime().catch((err: unknown) => log.warn({ err }, 'closing realtime failed'));
    opts.httpServer.closeAllConnections();
    for (const close of opts.closers) {
      try {
        await close();
      } catch (err) {
        log.warn({ err }, 'a shutdown step failed');
      }
    }
    clearTimeout(force);
    log.info({ ms: Date.now() - started }, 'shut down cleanly');
    exit(0);
  };
}
