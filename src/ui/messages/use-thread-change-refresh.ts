'use client';
// Figures derived from many threads (the unread badge, the dashboard) follow the viewer's
// thread-updated events, which carry their unread totals, so a message costs no request. They are
// read over REST after a reconnect (thread-updated is not replayed, so changes were missed), after a
// resync (the client was away longer than the change feed's window), and
// when `onUpdate` says the event does not cover them. A failed read keeps what is shown.
import { useEffect } from 'react';
import type { ThreadUpdatedPayload } from '@/realtime/contract';
import { useMessaging } from './MessagingProvider';

const DEBOUNCE_MS = 300;

export function useThreadChangeRefresh<T>(
  read: (signal: AbortSignal) => Promise<T>,
  apply: (value: T) => void,
  {
    now,
    onUpdate,
  }: {
    /** Read at once as well, when nothing was rendered on the server. */
    now: boolean;
    /** Takes what the event carries; true when the figures need a read all the same. */
    onUpdate: (payload: ThreadUpdatedPayload) => boolean;
  },
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
      c.on('thread-updated', (p) => {
        if (onUpdate(p)) later();
      }),
      c.on('sync', ({ resumed }) => {
        if (resumed) later();
      }),
      // Away longer than the change feed's window: nothing was replayed, so read afresh.
      c.on('resync-required', later),
    ];
    if (now) load();
    return () => {
      clearTimeout(timer);
      controller.abort();
      for (const off of offs) off();
    };
  }, [client, read, apply, now, onUpdate]);
}
