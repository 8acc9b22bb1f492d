// GET/PUT /api/user/settings: declared in src/app/api/_notifications/operations.ts.
import { settingsRoute } from '@/app/api/_notifications/operations';

export const dynamic = 'force-dynamic';

export const { GET, PUT } = settingsRoute('student', '/settings', ['GET', 'PUT']);
