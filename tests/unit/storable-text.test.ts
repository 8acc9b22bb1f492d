// Text no field could keep (NUL, a lone surrogate), found anywhere in a request's input: values and
// keys, nested, under names that are also Object.prototype's, and at any depth.
import { describe, expect, it } from 'vitest';
import { LONE_SURROGATE_MESSAGE, NUL_MESSAGE, storableTextProblems, textProblem } from '@/platform/text';

describe('storableTextProblems', () => {
  it('passes ordinary text, numbers and nesting', () => {
    expect(storableTextProblems({ content: 'héllo 😀', n: 1, list: ['a', { b: true }] })).toBeNull();
    expect(textProblem('fine')).toBeNull();
  });

  it('names each bad string by its path, keys included', () => {
    expect(
      storableTextProblems({
        content: 'a\u0000b',
        undo: [{ threadId: 'x\ud800' }],
        ['k\u0000']: 1,
      }),
    ).toEqual({
      content: [NUL_MESSAGE],
      'undo.0.threadId': [LONE_SURROGATE_MESSAGE],
      'k\u0000': [NUL_MESSAGE],
    });
    expect(storableTextProblems('\u0000')).toEqual({ _: [NUL_MESSAGE] });
  });

  it('treats "constructor" and "__proto__" as field names', () => {
    const body = JSON.parse('{"constructor":"\\u0000","__proto__":{"toString":"\\ud800"}}') as unknown;
    expect(storableTextProblems(body)).toEqual({
      constructor: [NUL_MESSAGE],
      '__proto__.toString': [LONE_SURROGATE_MESSAGE],
    });
  });

  it('walks a body nested 100,000 deep without running out of stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`) as unknown;
    const problems = storableTextProblems(deep);
    expect(Object.values(problems ?? {})).toEqual([[NUL_MESSAGE]]);
  });
});
