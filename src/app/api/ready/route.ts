// GET /api/ready: readiness for a load balancer. 200 when the database (and Redis, when configured)
// answers, migrations are current and the process is not shutting down; 503 otherwise.
import { route } from '@/platform/http';
import { checkReadiness } from '@/server/health';

export const dynamic = 'force-dynamic';

export const GET = route(async () => {
  const readiness = await checkReadiness();
  return Response.json(readiness, {
    status: readiness.status === 'ready' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
});
