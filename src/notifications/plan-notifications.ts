// The planner: turns new messages into pending deliveries (one per recipient and channel) and
// asks for each recipient's flush job. It follows the change feed's positions (commit order,
// contiguous: nothing committed is ever skipped) from a cursor row, and moves the cursor in the
// same transaction that writes the deliveries and the jobs, under the cursor's row lock: any
// number of processes may run it, a crash repeats nothing and loses nothing, and the deliveries'
// unique (user, message, channel) makes a repeat harmless anyway.
import { sql } from 'drizzle-orm';
import { inTransaction, queryRows, type Db } from '@/db/client';
import { schedule } from '@/jobs/queue';
import { metrics } from '@/platform/metrics';
import { flushKey, queueOf, type NotificationsContext, type TChannel } from './context';
import { readPreferences } from './preferences';
import { sendableAt } from './schedule';

/** Messages older than this when planned are not announced (a restore, or seeded history). */
const HORIZON_MS = 24 * 60 * 60 * 1000;

export async function planNotifications(
  ctx: Pick<NotificationsContext, 'db' | 'emailDelayMs' | 'clock'>,
  opts: { limit?: number } = {},
): Promise<{ planned: number; more: boolean }> {
  const limit = opts.limit ?? 500;
  const jobsAsked = new Map<TChannel, number>();
  const result = await inTransaction(ctx.db, async (tx) => {
    const cursor = await lockCursor(tx);
    const events = await queryRows<{ pos: string | number; kind: string; message_id: string }>(
      tx,
      sql`select pos, kind, message_id from message_events
        where pos > ${cursor} and pos is not null order by pos limit ${limit}`,
    );
    if (!events.length) return { planned: 0, more: false };
    const created = events.filter((e) => e.kind === 'created').map((e) => e.message_id);
    let planned = 0;
    if (created.length) {
      const horizon = new Date(ctx.clock.now().getTime() - HORIZON_MS).toISOString();
      const rows = await queryRows<{ user_id: string; channel: TChannel; due_at: string | Date }>(
        tx,
        sql`insert into notification_deliveries (user_id, message_id, thread_id, channel, due_at)
          select p.user_id, m.id, m.thread_id, c.channel,
            case when c.channel = 'push' or m.urgent then m.created_at
              else m.created_at + ${ctx.emailDelayMs} * interval '1 millisecond' end
          from messages m
          join message_participants p on p.thread_id = m.thread_id and p.left_at is null
            and p.user_id <> m.sender_id
            -- A muted thread stays quiet, except for a message that @mentions the person.
            and (not p.muted or exists (select 1 from message_mentions mm
              where mm.message_id = m.id and mm.user_id = p.user_id))
          cross join (values ('email'), ('push')) as c(channel)
          left join notification_preferences np on np.user_id = p.user_id
          where m.id in ${created} and m.deleted_at is null and m.created_at > ${horizon}::timestamptz
            and ((c.channel = 'email' and coalesce(np.email_mode, 'digest') <> 'off')
              or (c.channel = 'push' and exists (select 1 from push_subscriptions s where s.user_id = p.user_id)))
          on conflict (user_id, message_id, channel) do nothing
          returning user_id, channel, due_at`,
      );
      planned = rows.length;
      const earliest = new Map<string, { userId: string; channel: TChannel; due: Date }>();
      for (const r of rows) {
        const k = `${r.channel}:${r.user_id}`;
        const due = new Date(r.due_at);
        const seen = earliest.get(k);
        if (!seen || due < seen.due) earliest.set(k, { userId: r.user_id, channel: r.channel, due });
      }
      const prefs = await readPreferences(tx, [...new Set(rows.map((r) => r.user_id))]);
      for (const { userId, channel, due } of earliest.values()) {
        await schedule(tx, {
          queue: queueOf(channel),
          key: flushKey(channel, userId),
          payload: { userId },
          runAt: sendableAt(due, prefs.get(userId)!, channel),
        });
        jobsAsked.set(channel, (jobsAsked.get(channel) ?? 0) + 1);
      }
    }
    const last = Number(events[events.length - 1]!.pos);
    await tx.execute(sql`update notification_cursor set pos = ${last} where id = 1`);
    return { planned, more: events.length === limit };
  });
  for (const [channel, n] of jobsAsked) metrics().notificationJobsQueued.inc({ channel }, n);
  return result;
}

/** The cursor's position, with its row locked until the transaction ends (one planner at a time). */
async function lockCursor(tx: Db): Promise<number> {
  await tx.execute(sql`insert into notification_cursor (id, pos) values (1, 0) on conflict do nothing`);
  const [row] = await queryRows<{ pos: string | number }>(
    tx,
    sql`select pos from notification_cursor where id = 1 for update`,
  );
  return Number(row!.pos);
}
