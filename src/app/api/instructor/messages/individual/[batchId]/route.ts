// GET /api/instructor/messages/individual/[batchId]: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { GET } = messagingRoute('instructor', '/individual/{batchId}', ['GET']);
