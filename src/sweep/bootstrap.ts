// 95% intervals over seeds: a percentile bootstrap over per-run values (a run's rounds are
// correlated, so the run, not the round, is the unit). simple-statistics draws the resamples and
// takes the quantiles; the random source is the core's seeded PRNG, keyed by the cell and metric,
// so the same results always give the same interval, whichever process computes it.
import { createHash } from 'node:crypto';
import { mean, quantile, sampleWithReplacement } from 'simple-statistics';
import { nextFloat, seedPrng } from '../core/prng.js';

export const RESAMPLES = 2000;

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

/** Null when no run defines the value. */
export function bootstrapMean(values: readonly number[], key: string): Interval | null {
  if (values.length === 0) return null;
  const m = mean([...values]);
  if (values.every((v) => v === values[0])) return { mean: m, lo: m, hi: m };
  const seed = createHash('sha256').update(key).digest().readUInt32BE(0);
  const rng = seedPrng(seed);
  const random = () => nextFloat(rng);
  const pool = [...values];
  const means: number[] = new Array<number>(RESAMPLES);
  for (let i = 0; i < RESAMPLES; i++)
    means[i] = mean(sampleWithReplacement(pool, pool.length, random));
  return { mean: m, lo: quantile(means, 0.025), hi: quantile(means, 0.975) };
}
