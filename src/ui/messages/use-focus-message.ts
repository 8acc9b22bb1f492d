'use client';
// Opening a conversation at one message (a search result, ?message=<id>): older pages are read
// until the message is among those shown, then it is scrolled to the middle of the view and
// marked for a few seconds.
import { useEffect, useRef } from 'react';
import type { WireMessage } from '@/realtime/contract';

const HIGHLIGHT_MS = 3000;

export function useFocusMessage({
  focusId,
  ready,
  messages,
  hasOlder,
  loadingOlder,
  olderError,
  loadOlder,
}: {
  focusId: string | null;
  ready: boolean;
  messages: WireMessage[];
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  loadOlder(): void;
}) {
  const done = useRef<string | null>(null);
  const found = messages.some((m) => m.id === focusId);

  useEffect(() => {
    if (!focusId || !ready || done.current === focusId) return;
    if (!found) {
      if (hasOlder && !loadingOlder && !olderError) loadOlder();
      return;
    }
    done.current = focusId;
    // After the list's own scrolling (to the bottom on open, or keeping its place as pages load).
    const frame = requestAnimationFrame(() => {
      const el = document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(focusId)}"]`);
      if (!el) return;
      el.scrollIntoView({ block: 'center' });
      el.dataset.highlighted = 'true';
      setTimeout(() => delete el.dataset.highlighted, HIGHLIGHT_MS);
    });
    return () => cancelAnimationFrame(frame);
  }, [focusId, ready, found, hasOlder, loadingOlder, olderError, loadOlder]);
}
