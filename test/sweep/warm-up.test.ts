// A fresh worker first runs every kind of cell briefly (warm-up.ts): it must change no result,
// happen once per worker, and stay small on a huge grid.
import { describe, expect, it, vi } from 'vitest';
import { buildGrid } from '../../src/sweep/grid.js';
import { PRESETS } from '../../src/sweep/presets.js';
import type { RunTask } from '../../src/sweep/run-one.js';
import { warmUpCells } from '../../src/sweep/warm-up.js';
import type { Batch } from '../../src/sweep/worker.js';

const grid = buildGrid({ ...PRESETS.smoke, adversary: ['equivocate', 'strategic'], seeds: 1 });
const runs: RunTask[] = grid.runs.map((r) => ({
  cell: grid.cells[r.cell] as RunTask['cell'],
  seed: r.seed,
  rounds: 5,
}));

/** The worker's task function as a fresh worker thread has it. */
async function freshWorker() {
  vi.resetModules();
  return (await import('../../src/sweep/worker.js')).default;
}

describe('the warm-up of a sweep worker', () => {
  it('changes no run result', async () => {
    const cold = await (await freshWorker())({ runs, warmUp: [] });
    const warmUp = warmUpCells(grid.cells);
    expect(warmUp.length).toBeGreaterThan(1);
    const warmed = await (await freshWorker())({ runs, warmUp });
    expect(warmed).toEqual(cold);
  });

  it('runs once per worker, before its first batch', async () => {
    vi.resetModules();
    const seen: { rounds: number; seed: number }[] = [];
    vi.doMock('../../src/sweep/run-one.js', () => ({
      runOne: async (t: RunTask) => {
        seen.push({ rounds: t.rounds, seed: t.seed });
        return {};
      },
    }));
    try {
      const run = (await import('../../src/sweep/worker.js')).default;
      const batch: Batch = { runs: runs.slice(0, 2), warmUp: grid.cells };
      await run(batch);
      const afterFirst = seen.length;
      await run(batch);
      // The first batch: every warm-up cell (short runs), then its own two runs.
      expect(afterFirst).toBe(grid.cells.length + 2);
      expect(seen.slice(0, grid.cells.length).every((s) => s.rounds < 5)).toBe(true);
      expect(seen.slice(grid.cells.length, afterFirst).map((s) => s.seed)).toEqual(
        runs.slice(0, 2).map((r) => r.seed),
      );
      // The second: its own runs only.
      expect(seen.length).toBe(afterFirst + 2);
    } finally {
      vi.doUnmock('../../src/sweep/run-one.js');
    }
  });

  it('takes every cell of a small grid and an even spread of a large one', () => {
    expect(warmUpCells(grid.cells)).toEqual(grid.cells);
    const big = buildGrid({ ...PRESETS.paper, seeds: 1, quorum: [0.5, 0.6, null, 0.7, 0.8, 0.9] });
    expect(big.cells.length).toBeGreaterThan(64);
    const picked = warmUpCells(big.cells);
    expect(picked).toHaveLength(64);
    expect(new Set(picked).size).toBe(64);
    // Both protocols and every adversary are among them.
    expect(new Set(picked.map((c) => c.protocol)).size).toBe(2);
    expect(new Set(picked.map((c) => c.adversary)).size).toBe(
      new Set(big.cells.map((c) => c.adversary)).size,
    );
  });
});
