'use client';
// The send limit as the composer shows it: when a send was refused for the limit, the outbox keeps
// it (and everything queued behind it) with the time it is tried again; this counts down to then,
// once a second, so "Sending…" is never left without a reason.
import { useEffect, useState } from 'react';
import { useOutbox } from '../MessagingProvider';

/** Seconds until the send limit lets messages go again, or 0 when nothing waits on it. */
export function useSendLimitCountdown(): number {
  const outbox = useOutbox();
  const retryAt = outbox.reduce<number | null>(
    (at, e) => (e.state === 'pending' && e.retryAt ? Math.max(at ?? 0, e.retryAt) : at),
    null,
  );
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (retryAt === null) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [retryAt]);
  return retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));
}

/** "You can send again in 42 s", or null when the limit is not holding anything back. */
export function sendLimitText(seconds: number): string | null {
  return seconds > 0
    ? `Send limit reached. You can send again in ${seconds} s; queued messages go then.`
    : null;
}
