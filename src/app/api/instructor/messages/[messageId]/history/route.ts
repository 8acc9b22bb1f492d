// GET /api/instructor/messages/{messageId}/history: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { GET } = messagingRoute('instructor', '/{messageId}/history', ['GET']);
