'use client';
// Says when live updates have stopped and what happens to messages written meanwhile. The first
// connect of a page is not announced unless it is slow; a lost connection is, at once.
import { useEffect, useState } from 'react';
import { useConnectionStatus, useOutbox } from './MessagingProvider';

const SLOW_CONNECT_MS = 2_500;

export function ConnectionBanner() {
  const status = useConnectionStatus();
  const waiting = useOutbox().filter((e) => e.state === 'pending').length;
  const [slow, setSlow] = useState(false);
  const [wasOnline, setWasOnline] = useState(false);

  if (status === 'online' && !wasOnline) setWasOnline(true);

  useEffect(() => {
    if (status === 'online' || status === 'offline' || status === 'unauthorized') return;
    const t = setTimeout(() => setSlow(true), SLOW_CONNECT_MS);
    return () => {
      clearTimeout(t);
      setSlow(false);
    };
  }, [status]);

  let text: string | null = null;
  let tone = 'border-amber-300 bg-amber-50 text-amber-950';
  if (status === 'unauthorized') {
    text = 'Your session has ended. Sign in again to keep messaging.';
    tone = 'border-red-300 bg-red-50 text-red-950';
  } else if (status === 'offline') {
    text = 'You are offline. Messages you write will be sent when the connection is back.';
  } else if (status !== 'online' && (wasOnline || slow)) {
    text = wasOnline ? 'Reconnecting… catching up on what you missed.' : 'Connecting to live updates…';
  }
  if (text && waiting > 0) {
    text += ` ${waiting === 1 ? '1 message is' : `${waiting} messages are`} waiting to be sent.`;
  }

  return (
    <div role="status" aria-live="polite" data-testid="connection-banner">
      {text ? (
        <p className={`flex items-center gap-2 rounded-lg border px-3 py-2 text-sm ${tone}`}>
          <span
            aria-hidden="true"
            className="size-2 shrink-0 animate-pulse rounded-full bg-current motion-reduce:animate-none"
          />
          {text}
          {status === 'unauthorized' ? (
            <a href="/sign-in" className="ml-auto font-semibold underline underline-offset-2">
              Sign in
            </a>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
