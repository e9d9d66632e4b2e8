// Carrying out a sweep's runs: offline on a pool of worker threads (tinypool), or against a model
// endpoint in this process with at most --concurrency calls in flight. Results come back in run
// order whatever order they finish in, so the outputs are the same for any number of workers.
import { availableParallelism } from 'node:os';
import { Tinypool } from 'tinypool';
import type { LlmAgentClient } from '../agents/llm-types.js';
import { DEFAULT_TIMING } from '../core/state.js';
import { LlmCalls } from '../runtime/llm-calls.js';
import { createRuntime } from '../runtime/run-offline.js';
import { planBatches } from './batches.js';
import type { Grid, RunRef } from './grid.js';
import { cellConfig, type CellParams } from './knobs.js';
import { MetricsCollector, type RunMetrics } from './metrics.js';
import type { RunResult } from './rows.js';
import type { RunTask } from './run-one.js';
import { warmUpCells } from './warm-up.js';
import type { Batch } from './worker.js';

export interface ExecuteOptions {
  rounds: number;
  /** Worker threads for offline runs; default all cores. */
  workers?: number;
  /** Runs against a model instead of offline. */
  llm?: { client: LlmAgentClient; concurrency: number; phaseDeadlineMs: number };
  /** After each run, with whether its cell has no run left. */
  onRun?: (cellDone: boolean) => void;
}

export const defaultWorkers = (): number => availableParallelism();

export async function executeRuns(
  grid: Grid,
  runs: readonly RunRef[],
  opts: ExecuteOptions,
): Promise<RunResult[]> {
  const left = new Map<number, number>();
  for (const r of runs) left.set(r.cell, (left.get(r.cell) ?? 0) + 1);
  const finished = (r: RunRef) => {
    const n = (left.get(r.cell) ?? 1) - 1;
    left.set(r.cell, n);
    opts.onRun?.(n === 0);
  };
  const task = (r: RunRef): RunTask => ({
    cell: grid.cells[r.cell] as RunTask['cell'],
    seed: r.seed,
    rounds: opts.rounds,
  });
  const metrics = opts.llm
    ? await withLimit(runs, opts.llm.concurrency, (r) => llmRun(task(r), opts.llm!), finished)
    : await onPool(runs, opts.workers ?? defaultWorkers(), task, finished, warmUpCells(grid.cells));
  return runs.map((r, i) => ({ run: r.index, metrics: metrics[i] as RunMetrics }));
}

async function onPool(
  runs: readonly RunRef[],
  workers: number,
  task: (r: RunRef) => RunTask,
  finished: (r: RunRef) => void,
  warmUp: CellParams[],
): Promise<RunMetrics[]> {
  const pool = createPool(workers);
  try {
    return await runBatches(pool, runs, workers, task, finished, warmUp);
  } finally {
    await pool.destroy();
  }
}

/** The pool of `workers` worker threads that carry out offline runs (worker.ts). */
export function createPool(workers: number): Tinypool {
  return new Tinypool({
    // From dist/src/sweep/ and from the bundle's chunks in dist/src/cli/ alike (the `bin`).
    filename: new URL('../sweep/worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
  });
}

/** Every run on `pool`, in batches (batches.ts); the metrics come back in the order of `runs`. */
export async function runBatches(
  pool: Tinypool,
  runs: readonly RunRef[],
  workers: number,
  task: (r: RunRef) => RunTask,
  finished: (r: RunRef) => void = () => {},
  warmUp: CellParams[] = [],
): Promise<RunMetrics[]> {
  const done = await Promise.all(
    planBatches(runs, workers).map(async (batch) => {
      const payload: Batch = { runs: batch.map(task), warmUp };
      const m = (await pool.run(payload)) as RunMetrics[];
      batch.forEach(finished);
      return m;
    }),
  );
  return done.flat();
}

/** A run against the model; each run asks one agent at a time, so runs in flight = calls in flight. */
async function llmRun(t: RunTask, llm: NonNullable<ExecuteOptions['llm']>): Promise<RunMetrics> {
  const base = cellConfig(t.cell, t.seed, t.rounds);
  const cfg = { ...base, timing: { ...DEFAULT_TIMING, phaseDeadlineMs: llm.phaseDeadlineMs } };
  const runtime = createRuntime(cfg, { calls: new LlmCalls(llm.client, 1), speed: 'max' });
  const metrics = new MetricsCollector();
  runtime.onEvent((e) => metrics.on(e));
  await runtime.start();
  return metrics.result();
}

async function withLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  done: (item: T) => void,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
      done(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}
