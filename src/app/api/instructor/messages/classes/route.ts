// GET /api/instructor/messages/classes: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { GET } = messagingRoute('instructor', '/classes', ['GET']);
