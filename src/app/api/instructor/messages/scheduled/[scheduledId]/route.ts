// PATCH, DELETE /api/instructor/messages/scheduled/{scheduledId}: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { PATCH, DELETE } = messagingRoute('instructor', '/scheduled/{scheduledId}', [
  'PATCH',
  'DELETE',
]);
