// What /api/health reports: the database answers a query, and which kind it is.
import { sql } from 'drizzle-orm';
import { getDatabase } from '@/db';

export async function checkHealth(): Promise<{ status: 'ok'; db: string }> {
  const database = await getDatabase();
  await database.db.execute(sql`select 1`);
  return { status: 'ok', db: database.kind };
}
