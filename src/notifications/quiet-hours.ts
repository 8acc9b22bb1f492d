// Local time arithmetic for quiet hours and the daily summary, in the user's IANA time zone, with
// the clock passed in (never read here): pure functions that tests drive across midnight and zones.

export interface TQuietHours {
  /** Minutes after local midnight, 0–1439; start ≠ end. A start after the end spans midnight. */
  start: number;
  end: number;
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/** Minutes after local midnight of `at` in `tz` (0–1439). */
export function localMinutes(at: Date, tz: string): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  let hour = 0;
  let minute = 0;
  for (const part of f.formatToParts(at)) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

/** Whether `at` falls inside the quiet hours (start inclusive, end exclusive) in `tz`. */
export function isQuiet(quiet: TQuietHours | null, tz: string, at: Date): boolean {
  if (!quiet) return false;
  const m = localMinutes(at, tz);
  return quiet.start < quiet.end ? m >= quiet.start && m < quiet.end : m >= quiet.start || m < quiet.end;
}

/**
 * The first instant at or after `after` whose local time in `tz` is `minuteOfDay`:00. Across a DST
 * change the first guess is off by the shift; one correction lands on the local time (or, inside a
 * spring-forward gap, on the instant the clocks jump to).
 */
export function nextLocalTime(minuteOfDay: number, tz: string, after: Date): Date {
  const base = Math.ceil(after.getTime() / MINUTE) * MINUTE;
  const delta = (minuteOfDay - localMinutes(new Date(base), tz) + DAY_MINUTES) % DAY_MINUTES;
  let t = base + delta * MINUTE;
  for (let i = 0; i < 2; i++) {
    let diff = minuteOfDay - localMinutes(new Date(t), tz);
    if (diff > DAY_MINUTES / 2) diff -= DAY_MINUTES;
    if (diff < -DAY_MINUTES / 2) diff += DAY_MINUTES;
    if (diff === 0) break;
    t += diff * MINUTE;
  }
  if (t < after.getTime()) t += DAY_MINUTES * MINUTE;
  return new Date(t);
}

/** When the quiet hours that hold `at` end; `at` itself when it is not inside them. */
export function quietEndsAt(quiet: TQuietHours | null, tz: string, at: Date): Date {
  if (!quiet || !isQuiet(quiet, tz, at)) return at;
  return nextLocalTime(quiet.end, tz, at);
}

/** "HH:MM" ↔ minutes after midnight. */
export function parseClockTime(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export function formatClockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
