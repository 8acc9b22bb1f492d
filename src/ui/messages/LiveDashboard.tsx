'use client';
// The instructor dashboard's live parts: the figures, whose unread count follows thread-updated and
// whose others (active threads, classes, students) are read again only after a reconnect or when a
// thread appears that they may not count yet; and the five most recent threads, kept current by the
// thread list's live events. Both start from what the server rendered.
import { useCallback, useState } from 'react';
import { StatCard, StatGrid } from '@/ui/Card';
import { EmptyState } from '@/ui/EmptyState';
import { formatUnreadCount } from '@/ui/format';
import { ThreadList } from '@/ui/ThreadList';
import type { TDashboardStats } from '@/classroom/instructor-queries';
import type { ThreadUpdatedPayload, WireThreadSummary } from '@/realtime/contract';
import { useNow } from './display';
import { useMessaging } from './MessagingProvider';
import { useThreadChangeRefresh } from './use-thread-change-refresh';
import { useThreadList } from './use-thread-list';

export function LiveStats({
  initial,
  threadIds,
}: {
  initial: TDashboardStats;
  /** Threads the server rendered the page with: news about any other may be a new thread. */
  threadIds: readonly string[];
}) {
  const { api } = useMessaging();
  const [stats, setStats] = useState(initial);
  const [seen] = useState(() => new Set(threadIds));

  const onUpdate = useCallback(
    (p: ThreadUpdatedPayload) => {
      const { unreadMessages } = p.unread.all;
      setStats((s) => (s.unreadMessages === unreadMessages ? s : { ...s, unreadMessages }));
      if (seen.has(p.threadId)) return false;
      seen.add(p.threadId);
      return true;
    },
    [seen],
  );
  useThreadChangeRefresh(api.dashboard, setStats, { now: false, onUpdate });

  return (
    <StatGrid className="xl:grid-cols-4">
      <StatCard
        testId="stat-unread"
        label="Unread messages"
        value={stats.unreadMessages}
        display={formatUnreadCount(stats.unreadMessages)}
        href="/instructor/messages"
        hint="Open messages"
      />
      <StatCard testId="stat-active-threads" label="Active threads (30 days)" value={stats.activeThreads} />
      <StatCard
        testId="stat-classes"
        label="Classes"
        value={stats.classes}
        href="/instructor/classes"
        hint="View classes"
      />
      <StatCard
        testId="stat-students"
        label="Students"
        value={stats.students}
        href="/instructor/students"
        hint="View students"
      />
    </StatGrid>
  );
}

export function LiveRecentThreads({
  initial,
  labelledBy,
  basePath = '/instructor/messages',
  limit = 5,
}: {
  /** The rows the server rendered, shown until the first live page arrives. */
  initial?: WireThreadSummary[];
  labelledBy?: string;
  basePath?: string;
  limit?: number;
}) {
  const { viewer } = useMessaging();
  const list = useThreadList({}, { limit });
  const now = useNow();
  const threads = list.status === 'ready' ? list.threads.slice(0, limit) : (initial ?? []);

  if (threads.length > 0) {
    return (
      <ThreadList
        threads={threads}
        viewerId={viewer.id}
        labelledBy={labelledBy}
        basePath={basePath}
        now={now}
        compact
      />
    );
  }
  if (list.status === 'loading' && !initial) {
    return (
      <p
        role="status"
        className="rounded-xl border border-slate-200 bg-white px-4 py-6 text-sm text-slate-600"
      >
        Loading recent threads…
      </p>
    );
  }
  if (list.status === 'error') {
    return (
      <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
        {list.error}{' '}
        <button type="button" onClick={list.retry} className="font-semibold underline underline-offset-2">
          Try again
        </button>
      </div>
    );
  }
  return (
    <EmptyState title="No conversations yet">
      When you message a student or post to a class, the thread will show up here.
    </EmptyState>
  );
}
