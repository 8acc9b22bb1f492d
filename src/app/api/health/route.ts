// Liveness and readiness: answers 200 when the database answers.
import { route } from '@/platform/http';
import { checkHealth } from '@/server/health';

export const dynamic = 'force-dynamic';

export const GET = route(async () => Response.json(await checkHealth()));
