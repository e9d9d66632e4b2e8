// Bootstrap intervals: deterministic for a key, sensible around the mean, narrower with more runs.
import { describe, expect, it } from 'vitest';
import { bootstrapMean } from '../../src/sweep/bootstrap.js';

const values = [0.2, 0.5, 0.9, 0.4, 0.7, 0.1, 0.8, 0.6];

describe('bootstrap over per-run means', () => {
  it('gives the same interval for the same values and key, in any process', () => {
    const a = bootstrapMean(values, 'cell-3|liveness');
    const b = bootstrapMean([...values], 'cell-3|liveness');
    expect(a).toEqual(b);
    // Another key resamples differently: the key, not a global generator, drives the draws.
    const irregular = [0.213, 0.577, 0.931, 0.402, 0.768, 0.119, 0.845, 0.634];
    expect(bootstrapMean(irregular, 'cell-4|liveness')).not.toEqual(
      bootstrapMean(irregular, 'cell-3|liveness'),
    );
  });

  it('brackets the mean inside the range of the data', () => {
    const ci = bootstrapMean(values, 'k');
    expect(ci?.mean).toBeCloseTo(0.525, 12);
    expect(ci!.lo).toBeLessThan(ci!.mean);
    expect(ci!.hi).toBeGreaterThan(ci!.mean);
    expect(ci!.lo).toBeGreaterThanOrEqual(0.1);
    expect(ci!.hi).toBeLessThanOrEqual(0.9);
    // Near the normal approximation: mean +- 1.96 sd/sqrt(n), sd about 0.28 here.
    expect(ci!.hi - ci!.lo).toBeGreaterThan(0.25);
    expect(ci!.hi - ci!.lo).toBeLessThan(0.5);
  });

  it('narrows as runs are added', () => {
    const four = bootstrapMean(values.concat(values, values, values), 'k')!;
    const one = bootstrapMean(values, 'k')!;
    expect(four.hi - four.lo).toBeLessThan((one.hi - one.lo) * 0.7);
  });

  it('is a point for constant values, and nothing for no values', () => {
    expect(bootstrapMean([1, 1, 1], 'k')).toEqual({ mean: 1, lo: 1, hi: 1 });
    expect(bootstrapMean([], 'k')).toBeNull();
  });
});
