// The group-commit batcher (src/platform/batcher.ts): calls that arrive together share one run, an
// idle call runs at once, busy runs bound how many batches are open, and items that may not share a
// batch wait for the next one, in order.
import { describe, expect, it } from 'vitest';
import { createBatcher } from '@/platform/batcher';

/** A run that records each batch and finishes when the test says so. */
function recorder() {
  const batches: number[][] = [];
  const finish: Array<() => void> = [];
  const run = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve) => finish.push(() => resolve(items.map((n) => n * 10))));
  };
  return { batches, finish, run };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('createBatcher', () => {
  it('gives calls made in one turn one run, and each caller its own result', async () => {
    const r = recorder();
    const b = createBatcher({ name: 'test', run: r.run });
    const results = Promise.all([1, 2, 3].map((n) => b.run(n)));
    await turn();
    expect(r.batches).toEqual([[1, 2, 3]]);
    r.finish[0]!();
    expect(await results).toEqual([10, 20, 30]);
  });

  it('runs at once while a slot is free, and gathers what arrives while every slot is busy', async () => {
    const r = recorder();
    const b = createBatcher({ name: 'test', run: r.run, maxInFlight: 1 });
    const first = b.run(1);
    await turn();
    expect(r.batches).toEqual([[1]]);
    const later = [b.run(2), b.run(3)];
    await turn();
    await turn();
    expect(r.batches).toHaveLength(1); // the one slot is busy: 2 and 3 wait together
    r.finish[0]!();
    expect(await first).toBe(10);
    await turn();
    expect(r.batches).toEqual([[1], [2, 3]]);
    r.finish[1]!();
    expect(await Promise.all(later)).toEqual([20, 30]);
  });

  it('keeps items with the same exclusive key in different batches, in arrival order', async () => {
    const r = recorder();
    const b = createBatcher({
      name: 'test',
      run: r.run,
      maxInFlight: 1,
      exclusiveKey: (n: number) => String(n % 2),
    });
    const all = Promise.all([1, 2, 3, 4, 5].map((n) => b.run(n)));
    await turn();
    expect(r.batches).toEqual([[1, 2]]);
    r.finish[0]!();
    await turn();
    expect(r.batches[1]).toEqual([3, 4]);
    r.finish[1]!();
    await turn();
    expect(r.batches[2]).toEqual([5]);
    r.finish[2]!();
    expect(await all).toEqual([10, 20, 30, 40, 50]);
  });

  it('caps a batch at maxBatch items', async () => {
    const r = recorder();
    const b = createBatcher({ name: 'test', run: r.run, maxBatch: 2, maxInFlight: 5 });
    const all = Promise.all([1, 2, 3, 4, 5].map((n) => b.run(n)));
    await turn();
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
    r.finish.forEach((f) => f());
    expect(await all).toEqual([10, 20, 30, 40, 50]);
  });

  it('fails every item of a run that throws, and the next batch still runs', async () => {
    let calls = 0;
    const b = createBatcher({
      name: 'test',
      async run(items: number[]) {
        calls += 1;
        if (calls === 1) throw new Error('connection lost');
        return items;
      },
    });
    const failed = await Promise.allSettled([b.run(1), b.run(2)]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect(await b.run(3)).toBe(3);
  });
});
