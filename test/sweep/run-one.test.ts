// A worker's runs share their prompts and offline answers (run-one.ts): what a run gives must not
// depend on which runs that worker did before it, and a run of another catalogue shares nothing.
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_NODES } from '../../src/core/catalogue.js';
import { buildGrid } from '../../src/sweep/grid.js';
import { cellConfig } from '../../src/sweep/knobs.js';
import { PRESETS } from '../../src/sweep/presets.js';
import { memosFor, type RunTask } from '../../src/sweep/run-one.js';
import { DEFAULT_SPEC } from '../../src/sweep/spec.js';

describe('a sweep run on a worker', () => {
  it('gives the same metrics whatever runs went before it on the same worker', async () => {
    const grid = buildGrid({
      ...PRESETS.smoke,
      adversary: ['original', 'strategic'],
      offlineNoise: [0, 0.3],
      seeds: 2,
    });
    const tasks: RunTask[] = grid.runs.map((r) => ({
      cell: grid.cells[r.cell] as RunTask['cell'],
      seed: r.seed,
      rounds: 6,
    }));
    // Each order on a fresh worker: the module's memos start empty.
    const onFreshWorker = async (order: RunTask[]) => {
      vi.resetModules();
      const { runOne } = await import('../../src/sweep/run-one.js');
      const out = new Map<RunTask, unknown>();
      for (const t of order) out.set(t, await runOne(t));
      return tasks.map((t) => out.get(t));
    };
    const forward = await onFreshWorker(tasks);
    const backward = await onFreshWorker([...tasks].reverse());
    expect(backward).toEqual(forward);
    // The cells differ: a memo that leaked one cell's answers into another would show here.
    expect(new Set(forward.map((m) => JSON.stringify(m))).size).toBeGreaterThan(tasks.length / 2);
  });

  it('shares prompts between runs of one catalogue only', () => {
    const cell = buildGrid(DEFAULT_SPEC).cells[0] as RunTask['cell'];
    const a = cellConfig(cell, 1, 5);
    const b = cellConfig(cell, 2, 9);
    expect(memosFor(b)).toBe(memosFor(a));
    const fewerNodes = { ...a, nodes: DEFAULT_NODES.slice(1) };
    expect(memosFor(fewerNodes)).not.toBe(memosFor(a));
    const renamed = { ...a, agents: a.agents.map((x, i) => (i === 0 ? { ...x, name: 'Zed' } : x)) };
    expect(memosFor(renamed)).not.toBe(memosFor(a));
  });
});
