// One run of a cell, offline at --speed max: the unit of work a pool worker does.
import type { CoreConfig } from '../core/state.js';
import { OfflineCalls, offlineMemos, type OfflineMemos } from '../runtime/offline-calls.js';
import { runOffline } from '../runtime/run-offline.js';
import { cellConfig, type CellParams } from './knobs.js';
import { MetricsCollector, type RunMetrics } from './metrics.js';

export interface RunTask {
  cell: CellParams;
  seed: number;
  rounds: number;
}

// A sweep's runs ask the same prompts of the same agents about the same nodes, run after run:
// built once per worker instead of once per run, they were a third of what a sweep allocated
// (bench/sweep.ts). Keyed by the catalogue itself, so runs of another one never share an entry.
const memosByCatalogue = new Map<string, OfflineMemos>();
const MAX_CATALOGUES = 8;

/** The memos of the runs with `cfg`'s agents, nodes and jobs (exported for the tests). */
export function memosFor(cfg: CoreConfig): OfflineMemos {
  const key = JSON.stringify([cfg.agents, cfg.nodes, cfg.jobs]);
  let memos = memosByCatalogue.get(key);
  if (!memos) {
    if (memosByCatalogue.size >= MAX_CATALOGUES) memosByCatalogue.clear();
    memosByCatalogue.set(key, (memos = offlineMemos()));
  }
  return memos;
}

export async function runOne(task: RunTask): Promise<RunMetrics> {
  const cfg = cellConfig(task.cell, task.seed, task.rounds);
  const calls = new OfflineCalls({ p: cfg.offlineNoise, seed: cfg.seed }, memosFor(cfg));
  const metrics = new MetricsCollector();
  await runOffline(cfg, (e) => metrics.on(e), calls);
  return metrics.result();
}
