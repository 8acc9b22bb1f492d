// POST /api/user/messages/read-all/undo: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { POST } = messagingRoute('student', '/read-all/undo', ['POST']);
