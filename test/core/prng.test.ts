// The seeded PRNG is the one source of chance in a run; fillInts (a send's link delays at once)
// must be exactly the draws nextInt would have made one at a time, or every lossless bft run's
// log would change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillInts, nextInt, seedPrng } from '../../src/core/prng.js';

describe('fillInts', () => {
  it('gives what nextInt gives, and leaves the state where it would', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(50),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 1000 }),
        (seed, before, count, bound) => {
          const one = seedPrng(seed);
          const all = seedPrng(seed);
          // Start from anywhere in the stream.
          for (let i = 0; i < before; i++) {
            nextInt(one, 0, 9);
            nextInt(all, 0, 9);
          }
          const expected = Array.from({ length: count }, () => nextInt(one, 0, bound - 1));
          const out: number[] = [];
          fillInts(all, out, count, bound);
          expect(out).toEqual(expected);
          expect(all).toEqual(one);
        },
      ),
    );
  });
});
