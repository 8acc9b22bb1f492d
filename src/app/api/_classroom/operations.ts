// The instructor area's routes outside messaging (/api/instructor/…), declared like the messaging
// ones: one declaration for the route handler and the OpenAPI document.
import { getInstructorDashboardStats, ZDashboardStats } from '@/classroom/instructor-queries';
import { defineOperation, handlersAt, type HttpMethod, type Operation } from '@/server/operation';

export const INSTRUCTOR_PREFIX = '/api/instructor';

const dashboardOp = defineOperation({
  method: 'GET',
  path: '/dashboard',
  summary: 'The overview figures of the signed-in instructor: unread, active threads, classes, students',
  response: ZDashboardStats,
  errors: [],
  handle: async ({ ctx, user }) => ({ data: await getInstructorDashboardStats(ctx, { userId: user.id }) }),
});

export const INSTRUCTOR_OPERATIONS: ReadonlyArray<Operation> = [dashboardOp];

export function instructorRoute<M extends HttpMethod>(path: string, methods: readonly M[]) {
  return handlersAt(INSTRUCTOR_OPERATIONS, path, methods, { area: 'instructor' });
}
