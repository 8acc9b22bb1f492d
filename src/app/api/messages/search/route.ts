// GET /api/messages/search (both roles): declared in src/app/api/_messaging/operations.ts.
import { anyRoleRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { GET } = anyRoleRoute('/search', ['GET']);
