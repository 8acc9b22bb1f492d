// Reading the newest messages with the page in view marks them read: over the socket when it is
// online, else over REST, a moment after the reader got there.
import { useEffect, useSyncExternalStore } from 'react';
import type { WireMessage } from '@/realtime/contract';
import type { WireParticipant } from './api';
import { useMessaging } from './MessagingProvider';

function subscribeVisibility(cb: () => void) {
  document.addEventListener('visibilitychange', cb);
  return () => document.removeEventListener('visibilitychange', cb);
}

function usePageVisible(): boolean {
  return useSyncExternalStore(
    subscribeVisibility,
    () => document.visibilityState === 'visible',
    () => false,
  );
}

export function useMarkRead({
  threadId,
  ready,
  messages,
  participants,
  atBottom,
  applyReceipt,
}: {
  threadId: string;
  /** The thread is loaded (not loading, gone or failed). */
  ready: boolean;
  messages: WireMessage[];
  participants: WireParticipant[];
  /** The reader is at the bottom of the conversation. */
  atBottom: boolean;
  applyReceipt(r: { lastReadSeq: number; readAt: string }): void;
}) {
  const { viewer, api, client } = useMessaging();
  const visible = usePageVisible();
  const me = participants.find((p) => p.id === viewer.id);
  const lastFromOthers = [...messages].reverse().find((m) => m.senderId !== viewer.id);
  const needsRead = ready && !!lastFromOthers && !!me && lastFromOthers.seq > me.lastReadSeq;

  useEffect(() => {
    if (!needsRead || !atBottom || !visible || !lastFromOthers) return;
    const c = client();
    const done = (r: { lastReadSeq: number; readAt: string }) => applyReceipt(r);
    const t = setTimeout(() => {
      const request =
        c.status === 'online'
          ? c.markRead(threadId, lastFromOthers.id)
          : api.markThreadRead(threadId, lastFromOthers.id);
      request.then(done).catch(() => {});
    }, 150);
    return () => clearTimeout(t);
  }, [needsRead, atBottom, visible, lastFromOthers, client, api, threadId, applyReceipt]);
}
