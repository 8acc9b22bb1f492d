// The instructor area's routes outside messaging (/api/instructor/…), declared like the messaging
// ones: one declaration for the route handler and the OpenAPI document.
import { getInstructorDashboardStats, ZDashboardStats } from '@/classroom/instructor-queries';
import { getAnalyticsReport, ZAnalyticsQuery, ZAnalyticsReport } from '@/classroom/analytics-report';
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

const analyticsOp = defineOperation({
  method: 'GET',
  path: '/analytics',
  summary: 'Messaging analytics: per day, hour × weekday, response times, unanswered, class engagement',
  description:
    'An instructor sees the threads they take part in; an ADMIN the whole platform. Days and hours are in `tz`. ' +
    'Read from rollups a background job keeps within seconds of live (`freshness`).',
  query: ZAnalyticsQuery,
  response: ZAnalyticsReport,
  errors: [{ status: 404, code: 'NOT_FOUND', when: 'classId is not a class the instructor teaches' }],
  handle: async ({ ctx, user, query }) => ({
    data: await getAnalyticsReport(ctx, { userId: user.id, role: user.role, query }),
  }),
});

export const INSTRUCTOR_OPERATIONS: ReadonlyArray<Operation> = [dashboardOp, analyticsOp];

export function instructorRoute<M extends HttpMethod>(path: string, methods: readonly M[]) {
  return handlersAt(INSTRUCTOR_OPERATIONS, path, methods, { area: 'instructor' });
}
