'use client';
// Figures derived from many threads (the unread badge, the dashboard) are read over REST again,
// debounced, whenever one of the viewer's threads changes, and after a reconnect (thread-updated
// is not replayed). A failed read keeps what is shown; the next change reads again.
import { useEffect } from 'react';
import { useMessaging } from './MessagingProvider';

const DEBOUNCE_MS = 300;

export function useThreadChangeRefresh<T>(
  read: (signal: AbortSignal) => Promise<T>,
  apply: (value: T) => void,
  { now }: { now: boolean },
): void {
  const { client } = useMessaging();
  useEffect(() => {
    const c = client();
    let controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      controller.abort();
      controller = new AbortController();
      read(controller.signal)
        .then(apply)
        .catch(() => {});
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
    if (now) load();
    return () => {
      clearTimeout(timer);
      controller.abort();
      for (const off of offs) off();
    };
  }, [client, read, apply, now]);
}
