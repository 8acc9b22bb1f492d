// PATCH, DELETE /api/user/messages/[messageId]: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { PATCH, DELETE } = messagingRoute('student', '/{messageId}', ['PATCH', 'DELETE']);
