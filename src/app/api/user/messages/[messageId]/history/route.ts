// GET /api/user/messages/{messageId}/history: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { GET } = messagingRoute('student', '/{messageId}/history', ['GET']);
