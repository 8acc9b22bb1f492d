// GET /api/instructor/analytics: declared in src/app/api/_classroom/operations.ts.
import { instructorRoute } from '@/app/api/_classroom/operations';

export const dynamic = 'force-dynamic';

export const { GET } = instructorRoute('/analytics', ['GET']);
