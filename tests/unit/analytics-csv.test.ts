// The analytics tables' CSV: RFC 4180 quoting, and cells a spreadsheet would run as a formula are
// defused (names and previews are user input).
import { describe, expect, it } from 'vitest';
import { toCsv } from '@/ui/analytics/csv';

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks, and writes null as an empty cell', () => {
    expect(toCsv(['Name', 'Note', 'n'], [['Lee, Grace', 'said "hi"\nthen left', null]])).toBe(
      'Name,Note,n\r\n"Lee, Grace","said ""hi""\nthen left",\r\n',
    );
  });

  it('prefixes text that starts like a formula, but not numbers', () => {
    expect(toCsv(['a', 'b', 'c'], [['=HYPERLINK("x")', '@SUM(A1)', -3]])).toBe(
      'a,b,c\r\n"\'=HYPERLINK(""x"")",\'@SUM(A1),-3\r\n',
    );
  });
});
