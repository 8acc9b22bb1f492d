import Link from 'next/link';
import type { TThreadSummary } from '@/messaging/dto';
import type { WireThreadSummary } from '@/realtime/contract';
import { Badge } from './Badge';
import { truncate } from './format';
import { RelativeTime } from './RelativeTime';

/** A thread row as read from the database (dates) or as it travels to the browser (ISO strings). */
export type ThreadListItem = TThreadSummary | WireThreadSummary;

/**
 * A list of message threads: title, type, class, preview, time, unread. Renders on the server and in
 * client components alike. With `basePath`, each row links to `${basePath}?thread=<id>` (the title
 * is the link; the whole row is its click target).
 */
export function ThreadList({
  threads,
  viewerId,
  labelledBy,
  compact = false,
  basePath,
  now = new Date(),
}: {
  threads: readonly ThreadListItem[];
  /** Who is looking, so their own last message reads "You: …". */
  viewerId: string;
  labelledBy?: string;
  compact?: boolean;
  basePath?: string;
  /** The reference time for "5 minutes ago". */
  now?: Date;
}) {
  return (
    <ul
      aria-labelledby={labelledBy}
      className="divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white"
    >
      {threads.map((t) => {
        const sender = t.lastMessage?.senderId === viewerId ? 'You' : t.lastMessage?.senderName;
        const titleClass = `min-w-0 truncate text-sm text-slate-900 ${t.unreadCount > 0 ? 'font-semibold' : 'font-medium'}`;
        return (
          <li
            key={t.id}
            data-thread-id={t.id}
            className={`flex gap-3 px-4 py-3 sm:px-5 ${basePath ? 'relative hover:bg-slate-50' : ''}`}
          >
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                {basePath ? (
                  <Link
                    href={`${basePath}?thread=${encodeURIComponent(t.id)}`}
                    className={`${titleClass} rounded-sm focus-visible:outline-none after:absolute after:inset-0 focus-visible:after:outline-2 focus-visible:after:-outline-offset-2 focus-visible:after:outline-brand-600`}
                  >
                    {t.displayTitle}
                  </Link>
                ) : (
                  <p className={titleClass}>{t.displayTitle}</p>
                )}
                <Badge tone={t.type === 'DIRECT' ? 'neutral' : 'brand'}>
                  {t.type === 'DIRECT' ? 'Direct' : 'Class'}
                </Badge>
                {t.type === 'CLASS' && !t.studentsCanReply ? <Badge tone="amber">Announcement</Badge> : null}
              </div>
              {t.className ? (
                <p className="mt-0.5 truncate text-xs text-slate-600">
                  {t.className}
                  {t.classCode ? ` · ${t.classCode}` : null}
                </p>
              ) : null}
              <p className={`mt-1 text-sm text-slate-700 ${compact ? 'truncate' : 'line-clamp-2'}`}>
                {t.lastMessage?.preview ? (
                  <>
                    {sender ? <span className="font-medium text-slate-800">{sender}: </span> : null}
                    {truncate(t.lastMessage.preview, compact ? 90 : 140)}
                  </>
                ) : (
                  <span className="text-slate-600 italic">No messages yet</span>
                )}
              </p>
            </div>
            <div className="flex shrink-0 flex-col items-end gap-1 text-xs text-slate-600">
              <RelativeTime date={t.activityAt} now={now} />
              {t.unreadCount > 0 ? (
                <span className="inline-flex min-w-6 items-center justify-center rounded-full bg-brand-700 px-2 py-0.5 text-xs font-semibold text-white">
                  {t.unreadCount > 99 ? '99+' : t.unreadCount}
                  <span className="sr-only"> unread</span>
                </span>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
