// GET /api/user/notifications/push-key: declared in src/app/api/_notifications/operations.ts.
import { settingsRoute } from '@/app/api/_notifications/operations';

export const dynamic = 'force-dynamic';

export const { GET } = settingsRoute('student', '/notifications/push-key', ['GET']);
