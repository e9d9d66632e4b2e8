// The pool's batches: every run once and in order, bounded in size, small at the end.
import { describe, expect, it } from 'vitest';
import { planBatches } from '../../src/sweep/batches.js';

const range = (n: number) => [...Array(n).keys()];

describe('sweep batches', () => {
  it('covers every run once, in order, for any count of runs and workers', () => {
    for (const n of [0, 1, 2, 7, 12, 100, 960, 1001])
      for (const workers of [1, 2, 3, 8]) {
        const batches = planBatches(range(n), workers);
        expect(batches.flat()).toEqual(range(n));
        expect(batches.every((b) => b.length > 0)).toBe(true);
      }
  });

  it('keeps batches to 1/16 of a worker share, shrinking towards single runs at the end', () => {
    const sizes = planBatches(range(960), 2).map((b) => b.length);
    expect(Math.max(...sizes)).toBe(30);
    expect(sizes[0]).toBe(30);
    for (let i = 1; i < sizes.length; i++)
      expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1] as number);
    // The last batch a worker picks up is one run, so the other is never left waiting for a
    // full batch; the shrinking adds round trips, but fewer than twice the fixed-size plan's 32.
    expect(sizes.slice(-8)).toEqual(Array(8).fill(1));
    expect(sizes.length).toBeLessThan(64);
  });
});
