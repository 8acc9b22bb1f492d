// POST /api/instructor/messages/threads/[threadId]/read: declared in src/app/api/_messaging/operations.ts.
import { messagingRoute } from '@/app/api/_messaging/operations';

export const dynamic = 'force-dynamic';

export const { POST } = messagingRoute('instructor', '/threads/{threadId}/read', ['POST']);
