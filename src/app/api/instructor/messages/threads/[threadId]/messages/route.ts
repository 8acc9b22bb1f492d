// GET, POST /api/instructor/messages/threads/[threadId]/messages: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { GET, POST } = messagingRoute('instructor', '/threads/{threadId}/messages', ['GET', 'POST']);
