// The grid: cells are the product of the axes, seeds belong to cells, shards split runs exactly.
import { describe, expect, it } from 'vitest';
import { buildGrid, byzantineAgents, shardRuns } from '../../src/sweep/grid.js';
import { cellConfig, weightShare } from '../../src/sweep/knobs.js';
import { PRESETS } from '../../src/sweep/presets.js';
import { DEFAULT_SPEC, type SweepSpec } from '../../src/sweep/spec.js';

const spec = (over: Partial<SweepSpec>): SweepSpec => ({ ...DEFAULT_SPEC, ...over });

describe('sweep grid', () => {
  it('has one cell per combination of axis values and one run per cell and seed', () => {
    const g = buildGrid(
      spec({
        seeds: 3,
        protocol: ['classic', 'bft'],
        byzantine: [0, 1, 2].map((count) => ({ kind: 'count', count })),
        byzantineRate: [0.7, 1],
      }),
    );
    expect(g.cells).toHaveLength(12);
    expect(g.runs).toHaveLength(36);
    expect(new Set(g.cells.map((c) => c.key)).size).toBe(12);
    expect(g.runs.map((r) => r.index)).toEqual([...Array(36).keys()]);
    expect(new Set(g.runs.map((r) => r.seed)).size).toBe(36);
  });

  it("keeps a cell's seeds when another axis gains a value", () => {
    const small = buildGrid(spec({ byzantineRate: [0.7] }));
    const big = buildGrid(spec({ byzantineRate: [0.5, 0.7] }));
    const seedsOf = (g: typeof small, rate: number) =>
      g.runs.filter((r) => g.cells[r.cell]?.byzantineRate === rate).map((r) => r.seed);
    expect(seedsOf(big, 0.7)).toEqual(seedsOf(small, 0.7));
    expect(seedsOf(big, 0.5)).not.toEqual(seedsOf(small, 0.7));
  });

  it('keeps every seed of a grid that leaves the jail term at its default, as before it was an axis', () => {
    // The paper preset's seeds as they were before jail_heights existed (results in docs/).
    const paper = buildGrid(PRESETS.paper);
    expect(paper.runs.slice(0, 3).map((r) => r.seed)).toEqual([1510290684, 1049459524, 1591901255]);
    expect(paper.runs.at(-1)?.seed).toBe(245737072);
    const varied = buildGrid(spec({ jailHeights: [10, 2] }));
    const plain = buildGrid(spec({}));
    expect(varied.cells).toHaveLength(2 * plain.cells.length);
    const seedsOf = (g: typeof plain, jail: number) =>
      g.runs.filter((r) => g.cells[r.cell]?.jailHeights === jail).map((r) => r.seed);
    expect(seedsOf(varied, 10)).toEqual(seedsOf(plain, 10));
    expect(seedsOf(varied, 2)).not.toEqual(seedsOf(plain, 10));
  });

  it('splits runs into disjoint shards that cover the grid', () => {
    const g = buildGrid(PRESETS.smoke);
    for (const n of [1, 2, 3, 5, 50]) {
      const parts = Array.from({ length: n }, (_, index) => shardRuns(g.runs, { index, count: n }));
      const all = parts.flat().map((r) => r.index);
      expect(all.sort((a, b) => a - b)).toEqual(g.runs.map((r) => r.index));
      expect(
        Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length)),
      ).toBeLessThanOrEqual(1);
    }
  });

  it('picks byzantine agents by count, by name, or up to a share of the weight', () => {
    expect(byzantineAgents({ kind: 'count', count: 2 })).toEqual(['alpha', 'beta']);
    expect(byzantineAgents({ kind: 'agents', ids: ['delta', 'beta'] })).toEqual(['beta', 'delta']);
    // Weights 1.3, 1.2, 1.1, 1.0, 0.9 of 5.5: under 0.3 only alpha fits (the next would pass it);
    // at 2.5/5.5 alpha and beta fit exactly, and nobody else beside them.
    expect(byzantineAgents({ kind: 'share', share: 0.3 })).toEqual(['alpha']);
    expect(byzantineAgents({ kind: 'share', share: 2.5 / 5.5 })).toEqual(['alpha', 'beta']);
    expect(weightShare(['alpha', 'beta'])).toBeCloseTo(2.5 / 5.5, 12);
  });

  it('makes each cell a run config: byzantine for the whole run, faults between rounds', () => {
    const cfg = cellConfig(
      {
        protocol: 'bft',
        adversary: 'original',
        byzantine: ['beta'],
        byzantineRate: 1,
        quorum: null,
        offlineNoise: 0,
        faults: [{ agent: 'delta', kind: 'crash', afterRounds: 3, durationS: 20 }],
        jobMix: ['log-archive'],
        jailHeights: 4,
      },
      42,
      10,
    );
    expect(cfg.seed).toBe(42);
    expect(cfg.jailHeights).toBe(4);
    expect(cfg.protocol).toBe('bft');
    expect(cfg.byzantineRate).toBe(1);
    expect(cfg.maxRounds).toBe(10);
    expect(cfg.scenario.jobMix).toEqual(['log-archive']);
    expect(cfg.scenario.steps).toEqual([
      { type: 'inject', agent: 'beta', fault: 'byzantine', durationMs: 1e12 },
      { type: 'rounds', count: 3 },
      { type: 'inject', agent: 'delta', fault: 'crash', durationMs: 20_000 },
      { type: 'rounds', count: 7 },
    ]);
  });
});
