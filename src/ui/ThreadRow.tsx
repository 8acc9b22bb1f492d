// One conversation's row, as a card in a summary list (the dashboard's recent threads) or as an entry
// of the conversations pane. Both show the same facts from the same wire row (title, kind, last
// message with "You" for the viewer's own, time, unread count) in their own layout. Renders on the
// server and in client components alike.
import Link from 'next/link';
import type { WireThreadSummary } from '@/realtime/contract';
import { Badge } from './Badge';
import { formatUnreadCount, truncate } from './format';
import { avatarTone, initials } from './messages/display';
import { RelativeTime } from './RelativeTime';

type RowProps = { thread: WireThreadSummary; viewerId: string; now: Date };

export function ThreadRow(
  props: RowProps &
    (
      | { variant: 'summary'; href?: string; compact: boolean }
      | { variant: 'pane'; selected: boolean; onSelect(threadId: string): void }
    ),
) {
  return props.variant === 'summary' ? <SummaryRow {...props} /> : <PaneRow {...props} />;
}

/** Who wrote the last message: "You" for the viewer, else their name (or first name, where it is tight). */
function lastSender(t: WireThreadSummary, viewerId: string, firstName: boolean): string | undefined {
  const last = t.lastMessage;
  if (!last) return undefined;
  if (last.senderId === viewerId) return 'You';
  return firstName ? last.senderName.split(/\s+/)[0] : last.senderName;
}

function Preview({
  thread: t,
  sender,
  max,
  senderClass,
  emptyClass,
}: {
  thread: WireThreadSummary;
  sender: string | undefined;
  max: number;
  senderClass: string;
  emptyClass: string;
}) {
  if (!t.lastMessage?.preview) return <span className={emptyClass}>No messages yet</span>;
  return (
    <>
      {sender ? <span className={senderClass}>{sender}: </span> : null}
      {truncate(t.lastMessage.preview, max)}
    </>
  );
}

function UnreadCount({ count, className }: { count: number; className: string }) {
  if (count === 0) return null;
  return (
    <span className={className}>
      {formatUnreadCount(count)}
      <span className="sr-only"> unread</span>
    </span>
  );
}

/** With `href`, the title is the link and the whole row its click target. */
function SummaryRow({
  thread: t,
  viewerId,
  now,
  href,
  compact,
}: RowProps & { href?: string; compact: boolean }) {
  const titleClass = `min-w-0 truncate text-sm text-slate-900 ${t.unreadCount > 0 ? 'font-semibold' : 'font-medium'}`;
  return (
    <li
      data-thread-id={t.id}
      className={`flex gap-3 px-4 py-3 sm:px-5 ${href ? 'relative hover:bg-slate-50' : ''}`}
    >
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          {href ? (
            <Link
              href={href}
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
          <Preview
            thread={t}
            sender={lastSender(t, viewerId, false)}
            max={compact ? 90 : 140}
            senderClass="font-medium text-slate-800"
            emptyClass="text-slate-600 italic"
          />
        </p>
      </div>
      <div className="flex shrink-0 flex-col items-end gap-1 text-xs text-slate-600">
        <RelativeTime date={t.activityAt} now={now} />
        <UnreadCount
          count={t.unreadCount}
          className="inline-flex min-w-6 items-center justify-center rounded-full bg-brand-700 px-2 py-0.5 text-xs font-semibold text-white"
        />
      </div>
    </li>
  );
}

/** A link to ?thread=<id> that selects in place on a plain click and still opens in a new tab. */
function PaneRow({
  thread: t,
  viewerId,
  now,
  selected,
  onSelect,
}: RowProps & { selected: boolean; onSelect(threadId: string): void }) {
  const unread = t.unreadCount > 0;
  return (
    <li data-thread-id={t.id}>
      <a
        href={`?thread=${encodeURIComponent(t.id)}`}
        data-search-item=""
        aria-current={selected ? 'page' : undefined}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          onSelect(t.id);
        }}
        className={`flex gap-3 px-3 py-3 outline-offset-[-2px] ${selected ? 'bg-brand-50' : 'hover:bg-slate-50'}`}
      >
        <ThreadAvatar thread={t} />
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline gap-2">
            <span
              className={`min-w-0 flex-1 truncate text-sm ${unread ? 'font-semibold text-slate-900' : 'font-medium text-slate-800'}`}
            >
              {t.displayTitle}
            </span>
            <RelativeTime date={t.activityAt} now={now} className="shrink-0 text-xs text-slate-600" />
          </span>
          <PaneKind thread={t} />
          <span className="mt-1 flex items-center gap-2">
            <span
              className={`min-w-0 flex-1 truncate text-sm ${unread ? 'text-slate-900' : 'text-slate-600'}`}
            >
              <Preview
                thread={t}
                sender={lastSender(t, viewerId, true)}
                max={90}
                senderClass="font-medium"
                emptyClass="italic"
              />
            </span>
            {t.unreadMentions > 0 ? (
              <span
                data-testid="mention-mark"
                className="inline-flex shrink-0 items-center justify-center rounded-full bg-amber-400 px-1.5 py-0.5 text-xs font-bold text-amber-950"
              >
                @<span className="sr-only"> you were mentioned</span>
              </span>
            ) : null}
            <UnreadCount
              count={t.unreadCount}
              className={`inline-flex min-w-5 shrink-0 items-center justify-center rounded-full px-1.5 py-0.5 text-xs font-semibold ${
                t.muted ? 'bg-slate-200 text-slate-800' : 'bg-brand-700 text-white'
              }`}
            />
          </span>
        </span>
      </a>
    </li>
  );
}

function ThreadAvatar({ thread: t }: { thread: WireThreadSummary }) {
  const avatarName = t.type === 'DIRECT' ? t.displayTitle : (t.className ?? t.displayTitle);
  return (
    <span
      aria-hidden="true"
      className={`flex size-10 shrink-0 items-center justify-center rounded-full text-sm font-semibold ${
        t.type === 'DIRECT' ? avatarTone(t.id) : 'rounded-lg bg-slate-800 text-white'
      }`}
    >
      {t.type === 'DIRECT' ? initials(avatarName) : (t.classCode?.slice(0, 3) ?? initials(avatarName))}
    </span>
  );
}

function PaneKind({ thread: t }: { thread: WireThreadSummary }) {
  return (
    <span className="mt-0.5 flex items-center gap-1.5 text-xs text-slate-600">
      {t.type === 'CLASS' ? (
        <span className="truncate">
          {t.kind === 'announcement' ? 'Announcement' : 'Discussion'}
          {t.classCode ? ` · ${t.classCode}` : null}
        </span>
      ) : (
        <span>Direct</span>
      )}
      {t.muted ? (
        <span className="inline-flex items-center gap-0.5" title="Muted">
          <MutedIcon />
          <span className="sr-only">, muted</span>
        </span>
      ) : null}
    </span>
  );
}

function MutedIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="size-3.5" fill="currentColor">
      <path d="M10 2a5 5 0 0 0-5 5v2.6L3.3 12.3A1 1 0 0 0 4 14h12a1 1 0 0 0 .7-1.7L15 9.6V7a5 5 0 0 0-5-5Zm-2 13a2 2 0 1 0 4 0H8Z" />
      <path d="M2.3 2.3a1 1 0 0 1 1.4 0l14 14a1 1 0 0 1-1.4 1.4l-14-14a1 1 0 0 1 0-1.4Z" />
    </svg>
  );
}
