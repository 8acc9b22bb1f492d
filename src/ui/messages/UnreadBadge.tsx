'use client';
// The navigation's unread count: read over REST on mount, again (debounced) whenever one of the
// viewer's threads changes, and after a reconnect (thread-updated is not replayed). Muted and
// archived threads do not count, as in the API. Shows nothing at zero.
import { useEffect, useState } from 'react';
import { useMessaging } from './MessagingProvider';

const DEBOUNCE_MS = 300;

export function UnreadBadge() {
  const { api, client } = useMessaging();
  const [count, setCount] = useState(0);

  useEffect(() => {
    const c = client();
    let controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      controller.abort();
      controller = new AbortController();
      api
        .unread(controller.signal)
        .then((u) => setCount(u.unreadMessages))
        .catch(() => {
          // Keep the last figure (or an abort): the next event or reconnect reads it again.
        });
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(load, DEBOUNCE_MS);
    };
    const offs = [
      c.on('thread-updated', later),
      c.on('sync', ({ resumed }) => {
        if (resumed) later();
      }),
    ];
    load();
    return () => {
      clearTimeout(timer);
      controller.abort();
      for (const off of offs) off();
    };
  }, [api, client]);

  if (count <= 0) return null;
  return (
    <span
      data-testid="unread-badge"
      data-value={count}
      className="inline-flex min-w-6 items-center justify-center rounded-full bg-brand-700 px-2 py-0.5 text-xs leading-4 font-semibold tabular-nums text-white"
    >
      {count > 99 ? '99+' : count}
      <span className="sr-only">{count === 1 ? ' unread message' : ' unread messages'}</span>
    </span>
  );
}
