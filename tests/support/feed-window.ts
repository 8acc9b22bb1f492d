// Helpers for the change feed's window tests: the feed's positions as stored, and rows made to look
// old (or new) by their created_at, the way time would.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The start of a 30-day window, now. */
export const windowStart = () => new Date(Date.now() - 30 * DAY_MS);

export async function feedPositions(db: Db): Promise<number[]> {
  const rows = await queryRows<{ pos: string | number }>(
    db,
    sql`select pos from message_events order by pos`,
  );
  return rows.map((r) => Number(r.pos));
}

/** Makes the feed's rows in [from, to] look `days` old, as if written then. */
export async function age(db: Db, from: number, to: number, days = 40): Promise<void> {
  await db.execute(
    sql`update message_events set created_at = now() - make_interval(days => ${days}) where pos between ${from} and ${to}`,
  );
}

/** Stamps one row inside the window, as a slow transaction would. */
export async function makeYoung(db: Db, pos: number): Promise<void> {
  await db.execute(sql`update message_events set created_at = now() where pos = ${pos}`);
}

/** Waits until every committed change has its position (the server's sequencer numbers them). */
export async function untilSequenced(db: Db, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await queryRows<{ n: string | number }>(
      db,
      sql`select count(*) as n from message_events where pos is null`,
    );
    if (Number(row?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error('changes were not sequenced in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
