// The search box's language, parsed into typed parts before any SQL is written: words, "exact
// phrases", -exclusions and `or` (websearch_to_tsquery's syntax), plus operators (from:, in:,
// class:, type:, before:, after:, has:) that become filters. The same filters are accepted as query
// parameters, validated by the same schemas, so `from:sam` and `?from=sam` cannot mean two things.
import { z } from 'zod';
import { AppError } from '@/platform/errors';
import { validText, ZId } from './ids';

/** A word or a phrase. `prefix`: the last word, matched as the start of a word (search as you type). */
export interface TSearchTerm {
  text: string;
  phrase: boolean;
  prefix: boolean;
}

/** Dates are UTC days: `before:2025-03-01` is up to the start of that day, `after:` from the next one. */
const ZDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2025-03-01.')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      message: 'Not a real date.',
    },
  );

/** Each operator's value: the same schema for `op:value` in the text and for `?op=value`. */
export const SEARCH_FILTERS = {
  /** A person: `me`, an email, a user id, or the start of a name (`from:"Maya Chen"`). */
  from: validText(z.string().trim().min(1, 'Name a person.').max(100, 'At most 100 characters.')),
  /** A thread, by id. */
  in: ZId,
  /** A class, by its code (case-insensitive). */
  class: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,50}$/, 'Use a class code such as ALG-101.'),
  type: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['direct', 'class'], { error: 'Use type:direct or type:class.' })),
  before: ZDay,
  after: ZDay,
  has: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['attachment'], { error: 'Only has:attachment is supported.' })),
} as const;

export type TSearchOperator = keyof typeof SEARCH_FILTERS;
export const SEARCH_OPERATORS = Object.keys(SEARCH_FILTERS) as TSearchOperator[];

export interface TSearchFilters {
  from: string[];
  in: string[];
  class: string[];
  type?: 'DIRECT' | 'CLASS';
  /** Messages created before this instant. */
  before?: Date;
  /** Messages created at or after this instant. */
  after?: Date;
  hasAttachment: boolean;
}

export interface TParsedSearch {
  /** Every group must match; a group matches when any of its terms does (`a or b`). */
  groups: TSearchTerm[][];
  /** No match may contain any of these. */
  excluded: TSearchTerm[];
  filters: TSearchFilters;
}

/** Shortest last word expanded as a prefix: one or two letters would match most of the index. */
export const MIN_PREFIX_CHARS = 3;

type TRawOperator = { op: string; value: string };
type TToken =
  | { kind: 'term'; term: TSearchTerm; negated: boolean }
  | { kind: 'or' }
  | { kind: 'operator'; raw: TRawOperator };

// A quoted phrase (an unclosed quote runs to the end), an operator with a quoted value, or a run
// of non-space characters.
const TOKEN = /(-?)"([^"]*)(?:"|$)|([A-Za-z]+):"([^"]*)(?:"|$)|(\S+)/g;
const OPERATOR = /^([A-Za-z]+):(.+)$/;
const PREFIXABLE = /^[\p{L}\p{N}]+$/u;

function tokenize(text: string): TToken[] {
  const tokens: TToken[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const [, neg, phrase, quotedOp, quotedValue, bare] = m;
    if (phrase !== undefined) {
      const words = phrase.trim();
      if (words)
        tokens.push({ kind: 'term', term: { text: words, phrase: true, prefix: false }, negated: !!neg });
    } else if (quotedOp !== undefined) {
      tokens.push({ kind: 'operator', raw: { op: quotedOp.toLowerCase(), value: quotedValue ?? '' } });
    } else if (bare) {
      const op = OPERATOR.exec(bare);
      // `op:value`, but not a URL (https://…) or a time (10:30, which has no letters before the colon).
      if (op?.[1] && op[2] && !op[2].startsWith('/')) {
        tokens.push({ kind: 'operator', raw: { op: op[1].toLowerCase(), value: op[2] } });
      } else if (/^or$/i.test(bare)) {
        tokens.push({ kind: 'or' });
      } else {
        const negated = bare.startsWith('-') && bare.length > 1;
        const word = bare.replace(/^-+/, '');
        if (word) tokens.push({ kind: 'term', term: { text: word, phrase: false, prefix: false }, negated });
      }
    }
  }
  return tokens;
}

/**
 * Parses the text of `q` and the filters given as parameters. An unknown operator, or a value an
 * operator cannot take, is a VALIDATION_FAILED naming it.
 */
export function parseSearch(
  text: string,
  params: Partial<Record<TSearchOperator, string>> = {},
): TParsedSearch {
  const tokens = tokenize(text);
  const raw: TRawOperator[] = [];
  for (const [op, value] of Object.entries(params)) if (value !== undefined) raw.push({ op, value });

  const groups: TSearchTerm[][] = [];
  const excluded: TSearchTerm[] = [];
  let joinNext = false;
  tokens.forEach((token, i) => {
    if (token.kind === 'operator') return void raw.push(token.raw);
    if (token.kind === 'or') {
      // `or` joins the terms on either side of it; anywhere else it is just a word.
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      if (prev?.kind === 'term' && !prev.negated && next?.kind === 'term' && !next.negated && groups.length) {
        joinNext = true;
        return;
      }
      groups.push([{ text: 'or', phrase: false, prefix: false }]);
      return;
    }
    if (token.negated) return void excluded.push(token.term);
    if (joinNext) groups.at(-1)!.push(token.term);
    else groups.push([token.term]);
    joinNext = false;
  });

  // Search as you type: the last word, when it is the last thing typed (no space after it), matches
  // as a prefix.
  const last = /\s$/.test(text) ? undefined : tokens.at(-1);
  const lastTerm = groups.at(-1)?.at(-1);
  if (
    last?.kind === 'term' &&
    !last.negated &&
    last.term === lastTerm &&
    !lastTerm.phrase &&
    lastTerm.text.length >= MIN_PREFIX_CHARS &&
    PREFIXABLE.test(lastTerm.text)
  ) {
    lastTerm.prefix = true;
  }

  return { groups, excluded, filters: parseFilters(raw) };
}

function parseFilters(raw: TRawOperator[]): TSearchFilters {
  const filters: TSearchFilters = { from: [], in: [], class: [], hasAttachment: false };
  const fields: Record<string, string[]> = {};
  const unknown = new Set<string>();
  for (const { op, value } of raw) {
    if (!(SEARCH_OPERATORS as string[]).includes(op)) {
      unknown.add(op);
      continue;
    }
    const key = op as TSearchOperator;
    const parsed = SEARCH_FILTERS[key].safeParse(value);
    if (!parsed.success) {
      (fields[key] ??= []).push(...parsed.error.issues.map((issue) => issue.message));
      continue;
    }
    const v = parsed.data;
    if (key === 'from' || key === 'in' || key === 'class') filters[key].push(v);
    else if (key === 'type') filters.type = v === 'direct' ? 'DIRECT' : 'CLASS';
    else if (key === 'before') filters.before = new Date(`${v}T00:00:00Z`);
    else if (key === 'after') filters.after = new Date(Date.parse(`${v}T00:00:00Z`) + 86_400_000);
    else filters.hasAttachment = true;
  }
  if (unknown.size) {
    const names = [...unknown].map((op) => `${op}:`).join(', ');
    const known = SEARCH_OPERATORS.map((op) => `${op}:`).join(' ');
    throw new AppError('VALIDATION_FAILED', `Unknown search operator ${names}. Use ${known}`, {
      fields: { ...fields, q: [`Unknown operator ${names}. Use ${known}`] },
    });
  }
  if (Object.keys(fields).length) {
    throw new AppError('VALIDATION_FAILED', 'Some search filters are invalid.', { fields });
  }
  return filters;
}

/** True when the search names anything to look for: a word, or a filter to narrow by. */
export function hasCriteria(search: TParsedSearch): boolean {
  const f = search.filters;
  return (
    search.groups.length > 0 ||
    f.from.length > 0 ||
    f.in.length > 0 ||
    f.class.length > 0 ||
    !!f.type ||
    !!f.before ||
    !!f.after ||
    f.hasAttachment
  );
}
