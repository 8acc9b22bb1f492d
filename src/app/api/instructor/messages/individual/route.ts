// GET, POST /api/instructor/messages/individual: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { GET, POST } = messagingRoute('instructor', '/individual', ['GET', 'POST']);
