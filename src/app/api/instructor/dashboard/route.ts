// GET /api/instructor/dashboard: declared in src/app/api/_classroom/operations.ts.
import { instructorRoute } from '@/app/api/_classroom/operations';

export const dynamic = 'force-dynamic';

export const { GET } = instructorRoute('/dashboard', ['GET']);
