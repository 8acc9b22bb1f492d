// Quiet hours and the daily hour in real time zones, across midnight and a DST change, with the
// instant given (no clock read).
import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES } from '@/notifications/preferences';
import {
  formatClockTime,
  isQuiet,
  isTimeZone,
  localMinutes,
  nextLocalTime,
  parseClockTime,
  quietEndsAt,
} from '@/notifications/quiet-hours';
import { sendableAt } from '@/notifications/schedule';

const at = (iso: string) => new Date(iso);
const night = { start: 22 * 60, end: 7 * 60 };

describe('quiet hours', () => {
  it('reads local time in the user’s zone, not the server’s', () => {
    // 03:30 UTC on 10 March 2026 is 23:30 the day before in New York (EDT since 8 March) and 12:30 in Tokyo.
    expect(localMinutes(at('2026-03-10T03:30:00Z'), 'America/New_York')).toBe(23 * 60 + 30);
    expect(localMinutes(at('2026-03-10T03:30:00Z'), 'Asia/Tokyo')).toBe(12 * 60 + 30);
    expect(localMinutes(at('2026-03-10T03:30:00Z'), 'Asia/Kolkata')).toBe(9 * 60);
  });

  it('spans midnight: quiet before and after it, ending at the local end time the next day', () => {
    const tz = 'America/New_York';
    expect(isQuiet(night, tz, at('2026-03-10T03:30:00Z'))).toBe(true); // 23:30
    expect(isQuiet(night, tz, at('2026-03-10T05:10:00Z'))).toBe(true); // 01:10, after midnight
    expect(isQuiet(night, tz, at('2026-03-10T11:00:00Z'))).toBe(false); // 07:00: the end is not quiet
    expect(isQuiet(night, tz, at('2026-03-10T01:59:00Z'))).toBe(false); // 21:59
    expect(quietEndsAt(night, tz, at('2026-03-10T03:30:00Z')).toISOString()).toBe('2026-03-10T11:00:00.000Z');
    expect(quietEndsAt(night, tz, at('2026-03-10T05:10:00Z')).toISOString()).toBe('2026-03-10T11:00:00.000Z');
    // The same instant is an ordinary afternoon in Tokyo.
    expect(isQuiet(night, 'Asia/Tokyo', at('2026-03-10T03:30:00Z'))).toBe(false);
    expect(quietEndsAt(night, 'Asia/Tokyo', at('2026-03-10T03:30:00Z')).toISOString()).toBe(
      '2026-03-10T03:30:00.000Z',
    );
  });

  it('handles a window within one day, and none at all', () => {
    const lunch = { start: 12 * 60, end: 13 * 60 };
    expect(isQuiet(lunch, 'UTC', at('2026-01-05T12:30:00Z'))).toBe(true);
    expect(isQuiet(lunch, 'UTC', at('2026-01-05T13:00:00Z'))).toBe(false);
    expect(isQuiet(lunch, 'UTC', at('2026-01-05T11:59:00Z'))).toBe(false);
    expect(isQuiet(null, 'UTC', at('2026-01-05T12:30:00Z'))).toBe(false);
  });

  it('ends at the right instant across a DST change', () => {
    // Paris springs forward at 02:00 on 29 March 2026: 01:30 CET is 00:30 UTC, 04:00 CEST is 02:00 UTC.
    const early = { start: 60, end: 4 * 60 };
    expect(quietEndsAt(early, 'Europe/Paris', at('2026-03-29T00:30:00Z')).toISOString()).toBe(
      '2026-03-29T02:00:00.000Z',
    );
    // New York falls back on 1 November 2026: 07:00 EST is 12:00 UTC.
    expect(quietEndsAt(night, 'America/New_York', at('2026-11-01T03:00:00Z')).toISOString()).toBe(
      '2026-11-01T12:00:00.000Z',
    );
  });

  it('finds the next daily hour in the zone', () => {
    expect(nextLocalTime(17 * 60, 'Asia/Kolkata', at('2026-03-10T03:30:00Z')).toISOString()).toBe(
      '2026-03-10T11:30:00.000Z',
    );
    expect(nextLocalTime(17 * 60, 'Asia/Kolkata', at('2026-03-10T11:30:00Z')).toISOString()).toBe(
      '2026-03-10T11:30:00.000Z',
    );
    expect(nextLocalTime(17 * 60, 'Asia/Kolkata', at('2026-03-10T11:31:00Z')).toISOString()).toBe(
      '2026-03-11T11:30:00.000Z',
    );
  });

  it('puts an email after the delay, the daily hour and the quiet hours, in that order', () => {
    const tz = 'America/New_York';
    const due = at('2026-03-10T02:30:00Z'); // 22:30 local
    expect(sendableAt(due, { ...DEFAULT_PREFERENCES, timeZone: tz }, 'email')).toEqual(due);
    expect(
      sendableAt(due, { ...DEFAULT_PREFERENCES, timeZone: tz, quiet: night }, 'email').toISOString(),
    ).toBe('2026-03-10T11:00:00.000Z');
    // Daily at 06:00 falls inside the quiet hours: it waits for their end at 07:00.
    const daily = {
      ...DEFAULT_PREFERENCES,
      timeZone: tz,
      quiet: night,
      emailMode: 'daily' as const,
      dailyHour: 6,
    };
    expect(sendableAt(due, daily, 'email').toISOString()).toBe('2026-03-10T11:00:00.000Z');
    // Push ignores the daily hour but not the quiet hours.
    expect(sendableAt(due, daily, 'push').toISOString()).toBe('2026-03-10T11:00:00.000Z');
  });

  it('validates zones and clock times', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(parseClockTime('22:00')).toBe(1320);
    expect(parseClockTime('24:00')).toBeNull();
    expect(parseClockTime('7:00')).toBeNull();
    expect(formatClockTime(7 * 60 + 5)).toBe('07:05');
  });
});
