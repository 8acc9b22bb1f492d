// GET /api/metrics: Prometheus text format.
import { metrics } from '@/platform/metrics';
import { route } from '@/platform/http';

export const dynamic = 'force-dynamic';

export const GET = route(async () => {
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
});
