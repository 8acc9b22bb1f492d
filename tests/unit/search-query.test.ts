// The search language's parser, the snippet's pieces and the age bands: pure functions, no database.
import { describe, expect, it } from 'vitest';
import { parseSearch } from '@/messaging/search-query';
import { ageBands, toSnippet } from '@/messaging/search-messages';
import { AppError } from '@/platform/errors';
import { bandLabel } from '@/ui/messages/search/bands';
import { snippetParts } from '@/ui/messages/search/snippet';

const terms = (q: string) =>
  parseSearch(q).groups.map((g) => g.map((t) => `${t.text}${t.prefix ? '*' : ''}`));

describe('parseSearch', () => {
  it('reads words, phrases, exclusions and or', () => {
    const parsed = parseSearch('lab "office hours" -draft quiz or exam ');
    expect(parsed.groups.map((g) => g.map((t) => t.text))).toEqual([
      ['lab'],
      ['office hours'],
      ['quiz', 'exam'],
    ]);
    expect(parsed.groups[1]?.[0]?.phrase).toBe(true);
    expect(parsed.excluded.map((t) => t.text)).toEqual(['draft']);
  });

  it('expands the last word as a prefix only while it is being typed', () => {
    expect(terms('rubric assig')).toEqual([['rubric'], ['assig*']]);
    expect(terms('rubric assig ')).toEqual([['rubric'], ['assig']]);
    expect(terms('rubric as')).toEqual([['rubric'], ['as']]);
    expect(terms('rubric "assig"')).toEqual([['rubric'], ['assig']]);
  });

  it('turns operators into typed filters, also from parameters', () => {
    const { filters, groups } = parseSearch(
      'essay from:"Maya Chen" type:DIRECT before:2025-03-01 has:attachment',
      {
        after: '2025-01-31',
        class: 'ALG-101',
      },
    );
    expect(groups).toHaveLength(1);
    expect(filters).toMatchObject({
      from: ['Maya Chen'],
      class: ['ALG-101'],
      type: 'DIRECT',
      before: new Date('2025-03-01T00:00:00Z'),
      after: new Date('2025-02-01T00:00:00Z'),
      hasAttachment: true,
    });
  });

  it('names an unknown operator, and the operator of a bad value', () => {
    expect(refusal(() => parseSearch('essay color:blue')).message).toContain('color:');
    expect(refusal(() => parseSearch('before:2025-13-01')).fields).toHaveProperty('before');
    expect(refusal(() => parseSearch('type:group')).fields).toHaveProperty('type');
  });
});

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('snippets', () => {
  it('come back as text and ranges, and render as text and marks', () => {
    const snippet = toSnippet('<b>the \uE000rubric\uE001</b> for \uE000friday\uE001');
    expect(snippet).toEqual({
      text: '<b>the rubric</b> for friday',
      highlights: [
        [7, 13],
        [22, 28],
      ],
    });
    expect(snippetParts(snippet)).toEqual([
      { text: '<b>the ', mark: false },
      { text: 'rubric', mark: true },
      { text: '</b> for ', mark: false },
      { text: 'friday', mark: true },
    ]);
  });

  it('clamp ranges that do not fit the text', () => {
    expect(
      snippetParts({
        text: 'abc',
        highlights: [
          [2, 10],
          [1, 2],
        ],
      }),
    ).toEqual([
      { text: 'a', mark: false },
      { text: 'b', mark: true },
      { text: 'c', mark: true },
    ]);
  });
});

describe('age bands', () => {
  const anchor = new Date('2026-06-30T12:00:00Z');
  const iso = (d: Date | null) => d?.toISOString() ?? null;

  it('are the last 30 days (and anything newer), the rest of the last year, then older', () => {
    expect(ageBands(anchor, {}).map((b) => [iso(b.since), iso(b.until)])).toEqual([
      ['2026-05-31T12:00:00.000Z', null],
      ['2025-06-30T12:00:00.000Z', '2026-05-31T12:00:00.000Z'],
      [null, '2025-06-30T12:00:00.000Z'],
    ]);
  });

  it('are narrowed by before: and after:, down to nothing', () => {
    const bands = ageBands(anchor, {
      after: new Date('2026-01-01T00:00:00Z'),
      before: new Date('2026-06-15T00:00:00Z'),
    });
    expect(bands.map((b) => [iso(b.since), iso(b.until)])).toEqual([
      ['2026-05-31T12:00:00.000Z', '2026-06-15T00:00:00.000Z'],
      ['2026-01-01T00:00:00.000Z', '2026-05-31T12:00:00.000Z'],
      ['2026-01-01T00:00:00.000Z', '2025-06-30T12:00:00.000Z'],
    ]);
  });

  it('head the first result of each band in the list, unless all are from the last 30 days', () => {
    const list = (...ages: Array<'month' | 'year' | 'older'>) => ages.map((age) => ({ age }));
    const heads = (results: Array<{ age: 'month' | 'year' | 'older' }>) =>
      results.map((_, i) => bandLabel(results, i));
    expect(heads(list('month', 'month'))).toEqual([null, null]);
    expect(heads(list('month', 'year', 'year', 'older'))).toEqual([
      'Last 30 days',
      'Last 12 months',
      null,
      'Older than a year',
    ]);
    expect(heads(list('older'))).toEqual(['Older than a year']);
  });
});
