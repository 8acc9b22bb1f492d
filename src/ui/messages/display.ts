'use client';
// Small display helpers for the chat: initials, day separators, clock times, grouping, and a
// clock that ticks so relative times stay true while the page is open.
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

/** Clock times and day separators of the chat. */
export interface DateDisplay {
  clock(iso: string): string;
  full(iso: string): string;
  /** Same key, same day: where a day separator goes. */
  dayKey(iso: string): string;
  /** "Today", "Yesterday", "Monday, November 23", or with the year when it is not this year. */
  dayLabel(iso: string, now: Date): string;
}

function dateDisplay(zone: 'local' | 'UTC'): DateDisplay {
  // The browser's own language and zone; or one the server and the hydrating browser agree on.
  const locale = zone === 'local' ? undefined : 'en-US';
  const timeZone = zone === 'local' ? undefined : zone;
  const clock = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone });
  const weekday = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    timeZone,
  });
  const fullDay = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone,
  });
  const full = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone });
  const dayOf = (d: Date) =>
    zone === 'local'
      ? new Date(d.getFullYear(), d.getMonth(), d.getDate())
      : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  return {
    clock: (iso) => clock.format(new Date(iso)),
    full: (iso) => full.format(new Date(iso)),
    dayKey: (iso) => String(dayOf(new Date(iso)).getTime()),
    dayLabel(iso, now) {
      const d = new Date(iso);
      // The server's clock and the browser's may not agree on what today is.
      if (zone !== 'local') return fullDay.format(d);
      const days = Math.round((dayOf(now).getTime() - dayOf(d).getTime()) / 86_400_000);
      if (days === 0) return 'Today';
      if (days === 1) return 'Yesterday';
      return d.getFullYear() === now.getFullYear() ? weekday.format(d) : fullDay.format(d);
    },
  };
}

const LOCAL = dateDisplay('local');
const FIXED = dateDisplay('UTC');

/** In the browser's zone and language, except in the server's render and the hydration of it. */
export function useDateDisplay(): DateDisplay {
  return useHydrated() ? LOCAL : FIXED;
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

/** The current time, updated every 30 s (for "5 minutes ago"). */
export function useNow(): Date {
  const t = useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
  return new Date(t);
}
