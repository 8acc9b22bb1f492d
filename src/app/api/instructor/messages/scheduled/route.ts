// GET, POST /api/instructor/messages/scheduled: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { GET, POST } = messagingRoute('instructor', '/scheduled', ['GET', 'POST']);
