// The protocol's claims, read from a sweep's own figures (a small version of --preset paper):
// classic commits invalid nodes with one original-adversary byzantine; bft commits none and never
// forks below 1/3 byzantine weight; forks appear only below a 2/3 quorum.
import { describe, expect, it } from 'vitest';
import { buildGrid, type Grid } from '../../src/sweep/grid.js';
import { cellRows, type Row, type RunResult } from '../../src/sweep/rows.js';
import { runOne } from '../../src/sweep/run-one.js';
import { DEFAULT_SPEC, type SweepSpec } from '../../src/sweep/spec.js';

/** The sweep without the pool: the same runs, one after another, in this process. */
async function sweepInProcess(spec: SweepSpec): Promise<{ grid: Grid; results: RunResult[] }> {
  const grid = buildGrid(spec);
  const results: RunResult[] = [];
  for (const r of grid.runs)
    results.push({
      run: r.index,
      metrics: await runOne({ cell: grid.cells[r.cell]!, seed: r.seed, rounds: spec.rounds }),
    });
  return { grid, results };
}

const count = (n: number) => ({ kind: 'count' as const, count: n });

describe('what the sweep shows about the protocols', () => {
  it('classic commits invalid nodes with one original byzantine; bft commits none below 1/3', async () => {
    const { grid, results } = await sweepInProcess({
      ...DEFAULT_SPEC,
      rounds: 12,
      seeds: 6,
      protocol: ['classic', 'bft'],
      adversary: ['original', 'equivocate'],
      byzantine: [count(0), count(1)],
      byzantineRate: [0.7, 1],
    });
    const cells = cellRows(grid, results);
    const cell = (protocol: string, byzantine: string, rate: number) =>
      cells.find(
        (c) =>
          c['protocol'] === protocol &&
          c['adversary'] === 'original' &&
          c['byzantine'] === byzantine &&
          c['byzantine_rate'] === rate,
      ) as Row;
    for (const rate of [0.7, 1]) {
      expect(cell('classic', 'alpha', rate)['invalid_commit_rate_mean']).toBeGreaterThan(0.1);
      expect(cell('classic', 'none', rate)['invalid_commit_rate_mean']).toBe(0);
    }
    // Every bft run below 1/3, under the original payloads and under an equivocator.
    let checked = 0;
    for (const r of results) {
      const c = grid.cells[grid.runs[r.run]!.cell]!;
      if (c.protocol !== 'bft' || c.byzantineShare >= 1 / 3) continue;
      checked += 1;
      expect(r.metrics.invalid_commit_rate).toBe(0);
      expect(r.metrics.fork_rate).toBe(0);
    }
    expect(checked).toBe(2 * 2 * 2 * 6);
  });

  it('forks appear only below a 2/3 quorum', async () => {
    const { grid, results } = await sweepInProcess({
      ...DEFAULT_SPEC,
      rounds: 12,
      seeds: 6,
      protocol: ['bft'],
      adversary: ['equivocate'],
      byzantine: [count(1)],
      byzantineRate: [1],
      quorum: [0.5, null, 0.8],
    });
    const cells = cellRows(grid, results);
    for (const c of cells) {
      const q = c['quorum'] as number;
      if (q >= 2 / 3 - 1e-9) expect(c['fork_rate_mean']).toBe(0);
    }
    expect(
      cells.some((c) => (c['quorum'] as number) < 2 / 3 && (c['fork_rate_mean'] as number) > 0),
    ).toBe(true);
  });
});
