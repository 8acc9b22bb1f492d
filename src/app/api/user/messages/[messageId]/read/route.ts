// POST /api/user/messages/[messageId]/read: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { POST } = messagingRoute('student', '/{messageId}/read', ['POST']);
