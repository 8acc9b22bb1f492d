// PUT, DELETE /api/user/messages/{messageId}/reactions/{emoji}: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { PUT, DELETE } = messagingRoute('student', '/{messageId}/reactions/{emoji}', ['PUT', 'DELETE']);
