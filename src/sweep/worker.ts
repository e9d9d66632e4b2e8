// The pool's worker thread (tinypool loads this file by path): a batch of offline runs per task,
// one after another.
import { runOne, type RunTask } from './run-one.js';
import type { RunMetrics } from './metrics.js';

export default async function run(tasks: RunTask[]): Promise<RunMetrics[]> {
  const out: RunMetrics[] = [];
  for (const task of tasks) out.push(await runOne(task));
  return out;
}
