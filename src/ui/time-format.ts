// Every time the UI shows, formatted in one IANA time zone (the viewer's profile zone, else the
// browser's) and one language, so the server's render and the browser's hydration of it produce the
// same text. Pure: the zone is passed in, "now" too where it matters.

const LOCALE = 'en-US';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** The cookie the browser keeps its own zone in, for the server's render when the profile has none. */
export const BROWSER_ZONE_COOKIE = 'cm_tz';

/** The browser's (or the process's) own IANA time zone. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export interface TimeFormat {
  /** The zone every method formats in. */
  zone: string;
  /** "2:30 PM" */
  clock(at: Date | string): string;
  /** "Wednesday, March 5, 2025 at 2:30 PM" */
  full(at: Date | string): string;
  /** "Mar 5, 2025" */
  date(at: Date | string): string;
  /** "Mar 5, 2025, 2:30 PM" */
  dateTime(at: Date | string): string;
  /** "Mar 5, 2025, 2:30 PM GMT+9": with the zone named, for times chosen ahead (scheduled sends). */
  dateTimeWithZone(at: Date | string): string;
  /** The calendar day in the zone, "2025-03-05": same key, same day (where a day separator goes). */
  dayKey(at: Date | string): string;
  /** "Today", "Yesterday", "Monday, November 23", or with the year when it is not this year. */
  dayLabel(at: Date | string, now: Date): string;
  /** "just now", "5 minutes ago", "yesterday", "3 days ago", then a date ("Mar 5", "Mar 5, 2024"). */
  relative(at: Date | string, now: Date): string;
  /** An instant as a datetime-local value ("2025-03-05T14:30") on the zone's wall clock. */
  toInput(at: Date | string): string;
  /** A datetime-local value read on the zone's wall clock, as an ISO instant; null if incomplete. */
  fromInput(local: string): string | null;
}

const cache = new Map<string, TimeFormat>();

/** The formatter of `zone` (UTC when the runtime does not know it); one per zone. */
export function timeFormat(zone: string): TimeFormat {
  let f = cache.get(zone);
  if (!f) {
    f = build(zone);
    cache.set(zone, f);
  }
  return f;
}

function known(zone: string): string {
  try {
    new Intl.DateTimeFormat(LOCALE, { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

const toDate = (at: Date | string) => (at instanceof Date ? at : new Date(at));

function build(requested: string): TimeFormat {
  const timeZone = known(requested);
  // Some ICU versions put a narrow no-break space before AM/PM and others a space: one text for both
  // the server's runtime and the browser's.
  const fmt = (o: Intl.DateTimeFormatOptions) => {
    const f = new Intl.DateTimeFormat(LOCALE, { ...o, timeZone });
    return {
      format: (d: Date) => f.format(d).replace(/[\u202f\u2009]/g, ' '),
      formatToParts: (d: Date) => f.formatToParts(d),
    };
  };
  const clock = fmt({ hour: 'numeric', minute: '2-digit' });
  const full = fmt({ dateStyle: 'full', timeStyle: 'short' });
  const medium = fmt({ dateStyle: 'medium' });
  const dateTime = fmt({ dateStyle: 'medium', timeStyle: 'short' });
  const withZone = fmt({
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const shortDay = fmt({ month: 'short', day: 'numeric' });
  const weekday = fmt({ weekday: 'long', month: 'long', day: 'numeric' });
  const fullDay = fmt({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
  const wall = fmt({
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });

  /** The zone's wall clock at `t` (ms). */
  const wallOf = (t: number) => {
    const p: Record<string, number> = {};
    for (const part of wall.formatToParts(new Date(t))) {
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    }
    return {
      year: p.year!,
      month: p.month!,
      day: p.day!,
      hour: p.hour! % 24,
      minute: p.minute!,
      second: p.second!,
    };
  };
  /** How far the zone's wall clock is ahead of UTC at `t` (ms). */
  const offsetAt = (t: number) => {
    const w = wallOf(t);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    return asUtc - Math.floor(t / 1000) * 1000;
  };
  /** Days since the epoch of the calendar day `at` falls on in the zone. */
  const dayNumber = (at: Date) => {
    const w = wallOf(at.getTime());
    return Math.round(Date.UTC(w.year, w.month - 1, w.day) / DAY);
  };
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');

  return {
    zone: timeZone,
    clock: (at) => clock.format(toDate(at)),
    full: (at) => full.format(toDate(at)),
    date: (at) => medium.format(toDate(at)),
    dateTime: (at) => dateTime.format(toDate(at)),
    dateTimeWithZone: (at) => withZone.format(toDate(at)),
    dayKey(at) {
      const w = wallOf(toDate(at).getTime());
      return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
    },
    dayLabel(at, now) {
      const d = toDate(at);
      const days = dayNumber(now) - dayNumber(d);
      if (days === 0) return 'Today';
      if (days === 1) return 'Yesterday';
      return wallOf(d.getTime()).year === wallOf(now.getTime()).year ? weekday.format(d) : fullDay.format(d);
    },
    relative(at, now) {
      const d = toDate(at);
      const diff = now.getTime() - d.getTime();
      if (diff < MINUTE) return 'just now';
      if (diff < HOUR) return relative.format(-Math.floor(diff / MINUTE), 'minute');
      if (diff < DAY) return relative.format(-Math.floor(diff / HOUR), 'hour');
      if (diff < 7 * DAY) return relative.format(-Math.floor(diff / DAY), 'day');
      return wallOf(d.getTime()).year === wallOf(now.getTime()).year ? shortDay.format(d) : medium.format(d);
    },
    toInput(at) {
      const w = wallOf(toDate(at).getTime());
      return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
    },
    fromInput(local) {
      const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
      if (!m) return null;
      const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
      const asUtc = Date.UTC(y, mo - 1, d, h, mi);
      if (Number.isNaN(asUtc)) return null;
      // The offset at the first guess is off by a DST shift near one; the second guess settles it
      // (a time inside a spring-forward gap lands next to it).
      let t = asUtc - offsetAt(asUtc);
      t = asUtc - offsetAt(t);
      return new Date(t).toISOString();
    },
  };
}
