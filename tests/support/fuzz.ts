// What the fuzz tests send: a seeded generator (the same draws on every run, so a failure can be
// replayed) and pools of values no handler should choke on.

/** mulberry32: the same calls on every run, so a failure can be replayed. */
export function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
export type Gen = ReturnType<typeof generator>;

export const JUNK_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '../../etc/passwd',
  '%00',
  '%',
  '\u0000',
  'a\u202eb',
  '\ufeff',
  '😀'.repeat(40),
  "' or 1=1 --",
  '<script>alert(1)</script>',
  '2026-13-45T99:99:99Z',
  '00000000-0000-0000-0000-000000000000',
  'x'.repeat(5_000),
  'ÿ'.repeat(300),
];
export const JUNK_VALUES: unknown[] = [
  ...JUNK_STRINGS,
  0,
  -1,
  1.5,
  2 ** 53,
  -(2 ** 63),
  1e308,
  true,
  false,
  null,
  [],
  [''],
  ['x'.repeat(300)],
  {},
  { a: 1 },
  { __proto__: { admin: true } },
  Array.from({ length: 200 }, (_, i) => i),
];
/** Text Postgres refuses (NUL) or that is not Unicode (a lone surrogate): a 400, never a 500. */
export const BAD_TEXT = ['nul \u0000 inside', 'a\ud800b'];
export type Mode = 'plausible' | 'one-off' | 'mixed';
export const MODES: readonly Mode[] = ['plausible', 'one-off', 'one-off', 'mixed'];
export const MALFORMED_BODIES = [
  '{',
  '[',
  'null',
  '"x"',
  '1',
  '{"content":',
  '{"content":"\\ud800"}',
  '['.repeat(3_000),
  '',
  ,
  `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
];
