// The pool's worker thread (tinypool loads this file by path): one offline run per task.
import { runOne, type RunTask } from './run-one.js';
import type { RunMetrics } from './metrics.js';

export default function run(task: RunTask): Promise<RunMetrics> {
  return runOne(task);
}
