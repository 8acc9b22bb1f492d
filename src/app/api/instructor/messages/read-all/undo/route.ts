// POST /api/instructor/messages/read-all/undo: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { POST } = messagingRoute('instructor', '/read-all/undo', ['POST']);
