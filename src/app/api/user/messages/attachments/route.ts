// POST /api/user/messages/attachments: declared in src/app/api/_files/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { POST } = messagingRoute('student', '/attachments', ['POST']);
