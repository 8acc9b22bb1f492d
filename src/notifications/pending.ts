// A flush's view of one user's pending deliveries on a channel: each with its message, thread and
// sender, sorted into what is ready now, what must wait (and until when), and what is dropped
// (read, muted, deleted, left), and the marks that close them.
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import { users } from '@/db/schema';
import type { TChannel } from './context';
import { readPreferences, type TPreferences } from './preferences';
import { sendableAt } from './schedule';

export interface TPendingItem {
  id: number;
  messageId: string;
  threadId: string;
  threadTitle: string;
  threadType: 'DIRECT' | 'CLASS';
  senderName: string;
  content: string;
  createdAt: Date;
  urgent: boolean;
}

export interface TPendingSort {
  recipient: { id: string; name: string; email: string; role: string };
  prefs: TPreferences;
  ready: TPendingItem[];
  skipped: Array<{ id: number; reason: string }>;
  /** When the earliest waiting item becomes ready; null when none waits. */
  nextAt: Date | null;
}

interface Row extends Record<string, unknown> {
  id: string | number;
  message_id: string;
  thread_id: string;
  due_at: string | Date;
  content: string;
  seq: string | number;
  created_at: string | Date;
  deleted_at: string | Date | null;
  urgent: boolean;
  sender_name: string;
  title: string | null;
  type: 'DIRECT' | 'CLASS';
  muted: boolean | null;
  /** The message @mentions the recipient: it reaches them even in a muted thread. */
  mentioned: boolean;
  last_read_seq: string | number | null;
  left_at: string | Date | null;
}

/** At most this many deliveries in one flush; a longer backlog is flushed in further runs. */
const BATCH = 500;

export async function sortPending(
  db: Db,
  { userId, channel, now }: { userId: string; channel: TChannel; now: Date },
): Promise<TPendingSort | null> {
  const [recipient] = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(eq(users.id, userId));
  if (!recipient) return null;
  const prefs = (await readPreferences(db, [userId])).get(userId)!;
  const rows = await queryRows<Row>(
    db,
    sql`select d.id, d.message_id, d.thread_id, d.due_at, m.content, m.seq, m.created_at, m.deleted_at,
        m.urgent, s.name as sender_name, t.title, t.type, p.muted, p.last_read_seq, p.left_at,
        exists (select 1 from message_mentions mm where mm.message_id = m.id and mm.user_id = d.user_id)
          as mentioned
      from notification_deliveries d
      join messages m on m.id = d.message_id
      join message_threads t on t.id = d.thread_id
      join users s on s.id = m.sender_id
      left join message_participants p on p.thread_id = d.thread_id and p.user_id = d.user_id
      where d.user_id = ${userId} and d.channel = ${channel} and d.state = 'pending'
      order by m.created_at, d.id
      limit ${BATCH}`,
  );
  const out: TPendingSort = { recipient, prefs, ready: [], skipped: [], nextAt: null };
  for (const r of rows) {
    const id = Number(r.id);
    const reason =
      channel === 'email' && prefs.emailMode === 'off'
        ? 'off'
        : r.deleted_at
          ? 'deleted'
          : r.muted === null || r.left_at
            ? 'left'
            : r.muted && !r.mentioned
              ? 'muted'
              : Number(r.last_read_seq) >= Number(r.seq)
                ? 'read'
                : null;
    if (reason) {
      out.skipped.push({ id, reason });
      continue;
    }
    const at = sendableAt(new Date(r.due_at), prefs, channel);
    if (at > now) {
      if (!out.nextAt || at < out.nextAt) out.nextAt = at;
      continue;
    }
    out.ready.push({
      id,
      messageId: r.message_id,
      threadId: r.thread_id,
      threadTitle: r.title ?? `Conversation with ${r.sender_name}`,
      threadType: r.type,
      senderName: r.sender_name,
      content: r.content,
      createdAt: new Date(r.created_at),
      urgent: r.urgent,
    });
  }
  if (rows.length === BATCH) out.nextAt = now;
  return out;
}

/** Closes deliveries that are still pending (a repeat of the same flush closes nothing twice). */
export async function closeDeliveries(
  db: Db,
  ids: number[],
  state: 'sent' | 'skipped',
  reason: string | null = null,
): Promise<void> {
  if (!ids.length) return;
  await db.execute(
    sql`update notification_deliveries set state = ${state}, reason = ${reason}, done_at = now()
      where id in ${ids} and state = 'pending'`,
  );
}

export async function closeSkipped(db: Db, skipped: TPendingSort['skipped']): Promise<void> {
  const byReason = new Map<string, number[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.id]);
  for (const [reason, ids] of byReason) await closeDeliveries(db, ids, 'skipped', reason);
}

/** The messages page of the recipient's area, opened on a thread. */
export function threadUrl(appUrl: string, role: string, threadId?: string): string {
  const area = role === 'STUDENT' ? 'student' : 'instructor';
  return `${appUrl}/${area}/messages${threadId ? `?thread=${encodeURIComponent(threadId)}` : ''}`;
}

export function settingsUrl(appUrl: string, role: string): string {
  return `${appUrl}/${role === 'STUDENT' ? 'student' : 'instructor'}/settings`;
}
