// Tells the others in a thread that the viewer is typing: at most every two seconds while the
// draft has text, and that they stopped when it is emptied, sent, left (blur) or the thread closes.
import { useEffect, useRef } from 'react';
import { useMessaging } from '../MessagingProvider';

const TYPING_EVERY_MS = 2_000;

export function useTypingSignal(threadId: string) {
  const { client } = useMessaging();
  const lastTypingAt = useRef(0);
  const typingSent = useRef(false);

  useEffect(() => {
    const c = client();
    return () => {
      if (typingSent.current) c.stopTyping(threadId).catch(() => {});
    };
  }, [client, threadId]);

  function stopTyping() {
    if (!typingSent.current) return;
    typingSent.current = false;
    lastTypingAt.current = 0;
    client()
      .stopTyping(threadId)
      .catch(() => {});
  }

  /** The draft is now `value`. */
  function typed(value: string) {
    if (!value.trim()) return stopTyping();
    const now = Date.now();
    if (now - lastTypingAt.current < TYPING_EVERY_MS) return;
    lastTypingAt.current = now;
    const c = client();
    if (c.status !== 'online') return;
    typingSent.current = true;
    c.startTyping(threadId).catch(() => {});
  }

  return { typed, stopTyping };
}
