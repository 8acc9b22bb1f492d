'use client';
// Small display helpers for the chat: initials, avatar tones, grouping, and a clock that ticks so
// relative times stay true while the page is open. Times are formatted by ui/time-format.ts.
import { useSyncExternalStore } from 'react';

export function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]?.toUpperCase() ?? '')
      .join('') || '?'
  );
}

const AVATAR_TONES = [
  'bg-brand-100 text-brand-800',
  'bg-emerald-100 text-emerald-800',
  'bg-amber-100 text-amber-900',
  'bg-rose-100 text-rose-800',
  'bg-sky-100 text-sky-800',
  'bg-violet-100 text-violet-800',
];

/** A stable colour per person, so a busy class thread is easier to follow. */
export function avatarTone(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return AVATAR_TONES[Math.abs(h) % AVATAR_TONES.length] ?? AVATAR_TONES[0]!;
}

const noSubscription = () => () => {};

/**
 * False while the server renders and while the browser hydrates that HTML, true from the next
 * render on: what only the browser knows (its time zone, its language, localStorage) waits for it,
 * so that the hydrating render matches the server's.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/** Messages closer than this by the same sender share one header. */
export const GROUP_GAP_MS = 5 * 60_000;

let now = Date.now();
const subscribers = new Set<() => void>();
let ticker: ReturnType<typeof setInterval> | undefined;

function subscribe(cb: () => void) {
  subscribers.add(cb);
  now = Date.now();
  ticker ??= setInterval(() => {
    now = Date.now();
    for (const s of subscribers) s();
  }, 30_000);
  return () => {
    subscribers.delete(cb);
    if (subscribers.size === 0) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };
}

/** The current time, updated every 30 s (for "5 minutes ago", "Today"). */
export function useNow(): Date {
  const t = useSyncExternalStore(
    subscribe,
    () => now,
    // On the server, the request's time (the module's own dates from the process's start).
    () => (typeof window === 'undefined' ? Date.now() : now),
  );
  return new Date(t);
}
