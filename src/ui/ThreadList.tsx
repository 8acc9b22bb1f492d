import type { WireThreadSummary } from '@/realtime/contract';
import { ThreadRow } from './ThreadRow';

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
  threads: readonly WireThreadSummary[];
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
      {threads.map((t) => (
        <ThreadRow
          key={t.id}
          variant="summary"
          thread={t}
          viewerId={viewerId}
          now={now}
          href={basePath ? `${basePath}?thread=${encodeURIComponent(t.id)}` : undefined}
          compact={compact}
        />
      ))}
    </ul>
  );
}
