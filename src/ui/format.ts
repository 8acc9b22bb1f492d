// Formatting helpers shared by pages: numbers, counts, text. Times are time-format.ts's (in the
// viewer's time zone).

import { UNREAD_COUNT_CAP } from '@/messaging/limits';

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
