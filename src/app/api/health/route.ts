// Liveness and readiness: answers 200 when the database answers.
import { sql } from 'drizzle-orm';
import { getDatabase } from '@/db';
import { route } from '@/platform/http';

export const dynamic = 'force-dynamic';

export const GET = route(async () => {
  const database = await getDatabase();
  await database.db.execute(sql`select 1`);
  return Response.json({ status: 'ok', db: database.kind });
});
