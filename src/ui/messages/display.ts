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

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const fullDay = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

export const formatClock = (iso: string) => clock.format(new Date(iso));
export const formatFull = (iso: string) => full.format(new Date(iso));

export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** "Today", "Yesterday", "Monday, November 23", or with the year when it is not this year. */
export function dayLabel(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const that = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const days = Math.round((today.getTime() - that.getTime()) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return d.getFullYear() === now.getFullYear() ? weekday.format(d) : fullDay.format(d);
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
