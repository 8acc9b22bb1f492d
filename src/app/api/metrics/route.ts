// GET /api/metrics: Prometheus text format, for a scraper holding METRICS_TOKEN. It reveals the Node
// version, memory and traffic, so without the token (or with none configured) it is a 401.
import { bearerTokenMatches } from '@/platform/bearer-token';
import { env } from '@/platform/env';
import { AppError } from '@/platform/errors';
import { metrics } from '@/platform/metrics';
import { route } from '@/platform/http';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  if (!bearerTokenMatches(req.headers.get('authorization'), env().METRICS_TOKEN)) {
    throw new AppError(
      'UNAUTHORIZED',
      'Metrics need the scrape token: Authorization: Bearer $METRICS_TOKEN.',
      {
        headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
      },
    );
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
});
