// Formatting helpers shared by pages. Pages render on the server per request, so "now" is the
// request time and the server's time zone applies.

import { UNREAD_COUNT_CAP } from '@/messaging/limits';

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const shortDate = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const mediumDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 minutes ago", "yesterday", "3 days ago", then a date ("Mar 5", "Mar 5, 2024"). */
export function formatRelativeTime(date: Date, now: Date = new Date()): string {
  const diff = now.getTime() - date.getTime();
  if (diff < MINUTE) return 'just now';
  if (diff < HOUR) return relative.format(-Math.floor(diff / MINUTE), 'minute');
  if (diff < DAY) return relative.format(-Math.floor(diff / HOUR), 'hour');
  if (diff < 7 * DAY) return relative.format(-Math.floor(diff / DAY), 'day');
  return date.getFullYear() === now.getFullYear() ? shortDate.format(date) : mediumDate.format(date);
}

/** "Mar 5, 2025" */
export function formatDate(date: Date): string {
  return mediumDate.format(date);
}

/** "Mar 5, 2025, 2:30 PM" */
export function formatDateTime(date: Date): string {
  return dateTime.format(date);
}

/**
 * An unread figure as the badges and the dashboard show it: the count itself, or "999+" from the
 * cap on, where a thread's count stops (and a total, a sum of such counts, is a lower bound).
 */
export function formatUnreadCount(count: number): string {
  return count >= UNREAD_COUNT_CAP
    ? `${(UNREAD_COUNT_CAP - 1).toLocaleString('en-US')}+`
    : count.toLocaleString('en-US');
}

/** Cuts text to at most `max` characters on a word boundary when possible, adding an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const numbers = new Intl.NumberFormat('en-US');

export function formatNumber(n: number): string {
  return numbers.format(n);
}

/** "1 student", "3 students" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
