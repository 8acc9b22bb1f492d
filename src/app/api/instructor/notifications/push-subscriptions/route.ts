// POST/DELETE /api/instructor/notifications/push-subscriptions: declared in src/app/api/_notifications/operations.ts.
import { settingsRoute } from '@/app/api/_notifications/operations';

export const dynamic = 'force-dynamic';

export const { POST, DELETE } = settingsRoute('instructor', '/notifications/push-subscriptions', [
  'POST',
  'DELETE',
]);
