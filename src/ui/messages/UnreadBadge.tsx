'use client';
// The navigation's unread count: read over REST on mount and after a reconnect (thread-updated is
// not replayed), and taken from each thread-updated, which carries it. Muted and archived threads
// do not count, as in the API. Shows nothing at zero. The same count goes in the tab's title.
import { useCallback, useState } from 'react';
import type { TUnreadTotals } from '@/messaging/count-unread';
import type { ThreadUpdatedPayload } from '@/realtime/contract';
import { formatUnreadCount } from '@/ui/format';
import { useBrowserNotifications, useTabTitleCount } from '@/ui/notifications/use-app-notifications';
import { useMessaging } from './MessagingProvider';
import { useThreadChangeRefresh } from './use-thread-change-refresh';

export function UnreadBadge() {
  const { api } = useMessaging();
  const [count, setCount] = useState(0);

  const apply = useCallback((u: TUnreadTotals) => setCount(u.unreadMessages), []);
  const onUpdate = useCallback(
    (p: ThreadUpdatedPayload) => {
      apply(p.unread.inbox);
      return false;
    },
    [apply],
  );
  useThreadChangeRefresh(api.unread, apply, { now: true, onUpdate });
  // The badge is in every page's navigation: it also keeps the tab title and browser notifications.
  useTabTitleCount(count, formatUnreadCount(count));
  useBrowserNotifications();

  if (count <= 0) return null;
  return (
    <span
      data-testid="unread-badge"
      data-value={count}
      className="inline-flex min-w-6 items-center justify-center rounded-full bg-brand-700 px-2 py-0.5 text-xs leading-4 font-semibold tabular-nums text-white"
    >
      {formatUnreadCount(count)}
      <span className="sr-only">{count === 1 ? ' unread message' : ' unread messages'}</span>
    </span>
  );
}
