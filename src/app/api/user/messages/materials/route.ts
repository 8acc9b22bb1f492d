// GET /api/user/messages/materials: declared in src/app/api/_files/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { GET } = messagingRoute('student', '/materials', ['GET']);
