// One run of a cell, offline at --speed max: the unit of work a pool worker does.
import { runOffline } from '../runtime/run-offline.js';
import { cellConfig, type CellParams } from './knobs.js';
import { MetricsCollector, type RunMetrics } from './metrics.js';

export interface RunTask {
  cell: CellParams;
  seed: number;
  rounds: number;
}

export async function runOne(task: RunTask): Promise<RunMetrics> {
  const metrics = new MetricsCollector();
  await runOffline(cellConfig(task.cell, task.seed, task.rounds), (e) => metrics.on(e));
  return metrics.result();
}
