// GET, PUT, DELETE /api/instructor/messages/threads/[threadId]: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { GET, PUT, DELETE } = messagingRoute('instructor', '/threads/{threadId}', [
  'GET',
  'PUT',
  'DELETE',
]);
