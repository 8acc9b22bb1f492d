// `next build` must never open the embedded database: it would lock the folder the server needs next.
import { afterEach, describe, expect, it } from 'vitest';
import { getDatabase } from '@/db';

describe('database during next build', () => {
  afterEach(() => {
    delete process.env.NEXT_PHASE;
  });

  it('refuses to open', () => {
    process.env.NEXT_PHASE = 'phase-production-build';
    expect(() => getDatabase()).toThrow(/not available while `next build` runs/);
  });
});
