// The UI's times in a fixed zone, whatever the process's own zone: clock times and day separators
// across a DST change and midnight, relative dates across a new year, datetime-local values both
// ways (scheduled sends), and the same text for the same zone (what keeps hydration quiet).
import { describe, expect, it } from 'vitest';
import { timeFormat } from '@/ui/time-format';

const LA = timeFormat('America/Los_Angeles');
const TOKYO = timeFormat('Asia/Tokyo');

describe('timeFormat', () => {
  it('shows an instant on the profile zone’s clock, not the process’s', () => {
    const at = '2026-03-10T03:30:00Z';
    expect(TOKYO.clock(at)).toBe('12:30 PM');
    expect(LA.clock(at)).toBe('8:30 PM'); // PDT, the evening before
    expect(TOKYO.date(at)).toBe('Mar 10, 2026');
    expect(LA.date(at)).toBe('Mar 9, 2026');
    expect(TOKYO.dateTime(new Date(at))).toBe('Mar 10, 2026, 12:30 PM');
    expect(TOKYO.dateTimeWithZone(at)).toBe('Mar 10, 2026, 12:30 PM GMT+9');
    expect(TOKYO.full(at)).toContain('Tuesday, March 10, 2026');
  });

  it('crosses the spring-forward change: 1:59 AM PST is followed by 3:00 AM PDT on the same day', () => {
    // Los Angeles, 8 March 2026: clocks jump from 02:00 PST (10:00Z) to 03:00 PDT.
    expect(LA.clock('2026-03-08T09:59:00Z')).toBe('1:59 AM');
    expect(LA.clock('2026-03-08T10:00:00Z')).toBe('3:00 AM');
    expect(LA.dayKey('2026-03-08T09:59:00Z')).toBe('2026-03-08');
    expect(LA.dayKey('2026-03-08T10:00:00Z')).toBe('2026-03-08');
  });

  it('puts the day separator at the zone’s midnight: Today and Yesterday by its calendar', () => {
    // 07:59Z is 11:59 PM on 7 March in Los Angeles (PST) and 4:59 PM on 8 March in Tokyo.
    const before = '2026-03-08T07:59:00Z';
    const after = '2026-03-08T08:00:00Z';
    const now = new Date('2026-03-08T20:00:00Z'); // noon PDT, 5 AM on 9 March in Tokyo
    expect(LA.dayKey(before)).toBe('2026-03-07');
    expect(LA.dayKey(after)).toBe('2026-03-08');
    expect(LA.dayLabel(after, now)).toBe('Today');
    expect(LA.dayLabel(before, now)).toBe('Yesterday');
    expect(TOKYO.dayKey(before)).toBe(TOKYO.dayKey(after));
    expect(TOKYO.dayLabel(after, now)).toBe('Yesterday');
    expect(TOKYO.dayLabel('2026-03-05T08:00:00Z', now)).toBe('Thursday, March 5');
    // A day separator across the fall-back change (a 25-hour day) still counts one day.
    expect(LA.dayLabel('2026-10-31T19:00:00Z', new Date('2026-11-01T23:00:00Z'))).toBe('Yesterday');
    expect(LA.dayLabel('2025-12-31T20:00:00Z', now)).toBe('Wednesday, December 31, 2025');
  });

  it('gives older relative times as a date, with the year when the zone’s year differs', () => {
    const now = new Date('2026-01-20T12:00:00Z');
    const newYearsEve = '2025-12-31T20:00:00Z'; // 1 January, 5 AM in Tokyo
    expect(TOKYO.relative(newYearsEve, now)).toBe('Jan 1');
    expect(LA.relative(newYearsEve, now)).toBe('Dec 31, 2025');
    expect(LA.relative('2026-01-20T11:55:00Z', now)).toBe('5 minutes ago');
    expect(LA.relative('2026-01-19T10:00:00Z', now)).toBe('yesterday');
  });

  it('reads and writes datetime-local values on the zone’s clock, across DST', () => {
    expect(LA.fromInput('2026-03-07T12:00')).toBe('2026-03-07T20:00:00.000Z'); // PST
    expect(LA.fromInput('2026-03-09T12:00')).toBe('2026-03-09T19:00:00.000Z'); // PDT
    expect(LA.fromInput('2026-03-08T03:30')).toBe('2026-03-08T10:30:00.000Z');
    expect(TOKYO.fromInput('2026-03-08T00:15')).toBe('2026-03-07T15:15:00.000Z');
    expect(LA.toInput('2026-03-08T10:30:00Z')).toBe('2026-03-08T03:30');
    expect(TOKYO.toInput('2026-03-07T15:15:00Z')).toBe('2026-03-08T00:15');
    // 1:30 AM happens twice on 1 November in Los Angeles: either instant reads back as 1:30.
    expect(LA.toInput(LA.fromInput('2026-11-01T01:30')!)).toBe('2026-11-01T01:30');
    expect(LA.fromInput('')).toBeNull();
    expect(LA.fromInput('2026-03-08')).toBeNull();
  });

  it('is one formatter per zone, and falls back to UTC for a zone the runtime does not know', () => {
    expect(timeFormat('Asia/Tokyo')).toBe(TOKYO);
    const unknown = timeFormat('Mars/Olympus');
    expect(unknown.zone).toBe('UTC');
    expect(unknown.clock('2026-03-10T03:30:00Z')).toBe('3:30 AM');
  });
});
