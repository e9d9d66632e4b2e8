import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../support/array-tiers.mjs', import.meta.url));

function tiers(): Record<string, boolean[]> {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', SCRIPT], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Record<string, boolean[]>;
}

describe('the engine under the JIT', () => {
  const result = tiers();

  it('builds the agents array the same shape whether its constructor is interpreted or optimised', () => {
    // A packed array in one tier and a holey one in the other made every optimised reader of the
    // agents deoptimise at the flip: in a sweep worker, storms of ~60 recompilations (engine.ts).
    // The harness can see the flip: a plain map, optimised, gives a holey array here.
    expect(result['control']).toEqual([false, true]);
    expect(result['helper']).toEqual([false, false]);
    expect(result['constructor']).toEqual([false, false]);
  });

  it('packedMap gives a packed array from interpreted and from optimised code alike', () => {
    // The per-height arrays every replica reads (packed.ts): [interpreted holey, optimised holey,
    // the caller really was optimised].
    for (const kind of ['packedDoubles', 'packedObjects', 'packedBooleans'])
      expect(result[kind], kind).toEqual([false, false, true]);
  });
});
