// Text PostgreSQL cannot keep as sent: U+0000 (text cannot hold it; the driver's error would be a
// 500) and a lone UTF-16 surrogate (JSON allows "\ud800"; it would be stored as U+FFFD). Both are
// bad input wherever they arrive: a field the schemas check as text (validText), or any string in a
// request's query or JSON body, keys included (storableTextProblems, before any schema sees it).

export const NUL_MESSAGE = 'Text cannot contain NUL characters.';
export const LONE_SURROGATE_MESSAGE = 'Text must be valid Unicode: it contains a lone surrogate.';

/** Why `text` cannot be stored as it is, or null. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return NUL_MESSAGE;
  if (!text.isWellFormed()) return LONE_SURROGATE_MESSAGE;
  return null;
}

/**
 * Every string in `value` (object keys too) that cannot be stored, by dotted path ("_" for the
 * value itself), or null when there is none. Walks with its own stack: a deeply nested body is
 * not a stack overflow.
 */
export function storableTextProblems(value: unknown): Record<string, string[]> | null {
  // A Map: a key such as "constructor" or "__proto__" is a field name here, not a property.
  const problems = new Map<string, string[]>();
  // Each entry links to its parent, so a path is only spelled out for a problem (copying it at
  // every level would be quadratic in the depth).
  type Step = { key: string; parent: Step | null } | null;
  const note = (at: Step, problem: string | null) => {
    if (!problem) return;
    const keys: string[] = [];
    for (let s = at; s; s = s.parent) keys.push(s.key);
    const key = keys.length ? keys.reverse().join('.') : '_';
    problems.set(key, [...(problems.get(key) ?? []), problem]);
  };
  const stack: Array<{ value: unknown; at: Step }> = [{ value, at: null }];
  while (stack.length) {
    const { value: v, at } = stack.pop()!;
    if (typeof v === 'string') note(at, textProblem(v));
    else if (Array.isArray(v))
      v.forEach((item, i) => stack.push({ value: item, at: { key: String(i), parent: at } }));
    else if (v && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const step = { key, parent: at };
        note(step, textProblem(key));
        stack.push({ value: item, at: step });
      }
    }
  }
  return problems.size ? Object.fromEntries(problems) : null;
}
