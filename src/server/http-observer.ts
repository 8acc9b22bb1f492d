// Every HTTP request the custom server answers, observed once: it gets a request id (x-request-id,
// the caller's or a new one, echoed in the response), a context that stamps the id on every log line
// and error body, a count and latency by route template and status, a warning when it is slower than
// SLOW_REQUEST_MS, and it counts as in-flight work for a graceful shutdown.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_IP_HEADER } from '@/platform/client-ip';
import { beginWork } from '@/platform/lifecycle';
import { logger } from '@/platform/logger';
import { metrics } from '@/platform/metrics';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequest } from '@/platform/request-context';
import { routeLabel, routeTemplate } from '@/platform/route-template';

export function observeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { slowRequestMs: number },
  next: () => void,
): void {
  const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  // Next's handlers read it from the headers too (a route that proxies a call can pass it on).
  req.headers[REQUEST_ID_HEADER] = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  const ip = req.headers[CLIENT_IP_HEADER];
  const context = {
    requestId,
    route: routeTemplate(req.url ?? '/'),
    ip: typeof ip === 'string' ? ip : undefined,
  };
  const started = performance.now();
  const done = beginWork();
  res.once('close', () => {
    done();
    const seconds = (performance.now() - started) / 1000;
    const method = req.method ?? 'GET';
    const route = routeLabel(context.route, res.statusCode);
    const m = metrics();
    m.httpRequests.inc({ method, route, status: String(res.statusCode) });
    m.httpRequestSeconds.observe({ method, route }, seconds);
    if (seconds * 1000 >= opts.slowRequestMs)
      runWithRequest(context, () =>
        logger().warn(
          { event: 'request.slow', method, route, status: res.statusCode, ms: Math.round(seconds * 1000) },
          `slow request: ${method} ${route} took ${Math.round(seconds * 1000)} ms`,
        ),
      );
  });
  runWithRequest(context, next);
}
