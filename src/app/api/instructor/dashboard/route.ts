// GET /api/instructor/dashboard: the overview figures of the signed-in instructor.
import { apiUser } from '@/auth/api';
import { getDb } from '@/db';
import { getInstructorDashboardStats } from '@/classroom/instructor-queries';
import { route } from '@/platform/http';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const user = await apiUser(req, 'instructor');
  return Response.json({ data: await getInstructorDashboardStats({ db: await getDb() }, user.id) });
});
