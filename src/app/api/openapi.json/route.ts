// GET /api/openapi.json: the OpenAPI 3.1 document of the API (messaging and the instructor dashboard), generated from its zod schemas.
import { INSTRUCTOR_OPERATIONS, INSTRUCTOR_PREFIX } from '@/app/api/_classroom/operations';
import {
  ANY_ROLE_OPERATIONS,
  AREA_PREFIX,
  MESSAGES_PREFIX,
  OPERATIONS,
} from '@/app/api/_messaging/operations';
import { SETTINGS_OPERATIONS, SETTINGS_PREFIX } from '@/app/api/_notifications/operations';
import { buildOpenApi } from '@/server/openapi';

export const dynamic = 'force-static';

export function GET() {
  return Response.json(
    buildOpenApi(
      {
        title: 'Classroom Messaging API',
        version: '1.0.0',
        description:
          'Every error is { error: { code, message, fields? } }. A thread or message the caller may not see ' +
          'answers 404, exactly as one that does not exist.',
      },
      [
        {
          prefix: AREA_PREFIX.instructor,
          tag: 'instructor',
          audience: 'an instructor or admin',
          operations: OPERATIONS.instructor,
        },
        {
          prefix: INSTRUCTOR_PREFIX,
          tag: 'instructor',
          audience: 'an instructor or admin',
          operations: INSTRUCTOR_OPERATIONS,
        },
        {
          prefix: SETTINGS_PREFIX.instructor,
          tag: 'instructor',
          audience: 'an instructor or admin',
          operations: SETTINGS_OPERATIONS,
        },
        {
          prefix: SETTINGS_PREFIX.student,
          tag: 'student',
          audience: 'a student',
          operations: SETTINGS_OPERATIONS,
        },
        {
          prefix: AREA_PREFIX.student,
          tag: 'student',
          audience: 'a student',
          operations: OPERATIONS.student,
        },
        {
          prefix: MESSAGES_PREFIX,
          tag: 'messages',
          audience: 'any signed-in user',
          anyRole: true,
          operations: ANY_ROLE_OPERATIONS,
        },
      ],
    ),
  );
}
