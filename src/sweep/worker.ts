// The pool's worker thread (tinypool loads this file by path): a batch of offline runs per task,
// one after another.
import type { CellParams } from './knobs.js';
import type { RunMetrics } from './metrics.js';
import { runOne, type RunTask } from './run-one.js';

export interface Batch {
  runs: RunTask[];
  /**
   * Cells for a fresh worker to run briefly first, results thrown away (warm-up.ts). Sent with
   * every batch: the pool does not say which worker takes which, and it is a few KB.
   */
  warmUp: CellParams[];
}

/** Rounds of each warm-up run: enough for a second height, where jailing and locks start. */
const WARM_UP_ROUNDS = 2;
let warmedUp = false;

export default async function run(batch: Batch): Promise<RunMetrics[]> {
  if (!warmedUp) {
    warmedUp = true;
    for (const cell of batch.warmUp) await runOne({ cell, seed: 1, rounds: WARM_UP_ROUNDS });
  }
  const out: RunMetrics[] = [];
  for (const task of batch.runs) out.push(await runOne(task));
  return out;
}
