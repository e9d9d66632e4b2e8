// `hybrid-tui sweep` and `hybrid-tui sweep merge`: from options to files in --out and a summary
// on stdout. Every user mistake is found before the first run, as one line.
import { readFileSync } from 'node:fs';
import { loadLlmConfig, type Env } from '../agents/config.js';
import { createLlmClient } from '../agents/llm-client.js';
import { UsageError } from '../cli/args.js';
import { plural } from '../core/plural.js';
import { FLAG_OF_FIELD, parseSweepArgs, SWEEP_HELP, type SweepOptions } from './args.js';
import { defaultWorkers, executeRuns, type ExecuteOptions } from './execute.js';
import { buildGrid, shardRuns } from './grid.js';
import {
  ALL_FILES,
  checkOutDir,
  FORMAT,
  readResults,
  SHARD_FILES,
  writeSweep,
  type ResultsFile,
} from './outputs.js';
import { preflight } from './preflight.js';
import { PRESETS } from './presets.js';
import { Progress } from './progress.js';
import type { RunResult } from './rows.js';
import {
  DEFAULT_SPEC,
  parseSpecText,
  specFromObject,
  specToObject,
  SweepError,
  type SweepSpec,
} from './spec.js';
import { livenessChart } from './terminal-chart.js';

export interface SweepIo {
  env: Env;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export async function sweepCommand(argv: string[], io: SweepIo): Promise<number> {
  const opts = parseSweepArgs(argv);
  if (opts.help) {
    io.stdout.write(`${SWEEP_HELP}\n`);
    return 0;
  }
  return opts.command === 'merge' ? merge(opts, io) : run(opts, io);
}

export function resolveSpec(opts: SweepOptions): SweepSpec {
  let base = DEFAULT_SPEC;
  if (opts.preset !== null) base = PRESETS[opts.preset];
  if (opts.specFile !== null) base = parseSpecText(readSpec(opts.specFile), opts.specFile);
  const spec =
    Object.keys(opts.overrides).length > 0
      ? specFromObject(opts.overrides, 'sweep', base, (f) => FLAG_OF_FIELD[f] ?? f)
      : base;
  return spec;
}

async function run(opts: SweepOptions, io: SweepIo): Promise<number> {
  const spec = resolveSpec(opts);
  const grid = buildGrid(spec);
  const runs = shardRuns(grid.runs, opts.shard);
  const whole = opts.shard.count === 1;
  checkOutDir(opts.out, whole ? ALL_FILES : SHARD_FILES, opts.force);
  const llm = llmOptions(opts, io.env);
  if (llm) await preflight(llm.client, llm.secrets);
  const workers = opts.workers ?? defaultWorkers();
  const cellsHere = new Set(runs.map((r) => r.cell)).size;
  const progress = opts.quiet
    ? null
    : new Progress({
        write: (t) => io.stderr.write(t),
        tty: Boolean(io.stderr.isTTY),
        totalRuns: runs.length,
        totalCells: cellsHere,
      });
  const started = performance.now();
  const results = await executeRuns(grid, runs, {
    rounds: spec.rounds,
    workers,
    ...(llm ? { llm } : {}),
    onRun: (cellDone) => progress?.tick(cellDone),
  });
  progress?.done();
  const seconds = (performance.now() - started) / 1000;
  const written = await writeSweep(opts.out, spec.name, grid, {
    format: FORMAT,
    spec: specToObject(spec),
    shard: opts.shard,
    runs: results,
  });
  const how = llm
    ? `against ${llm.client.model}, ${llm.concurrency} at a time`
    : `offline on ${plural(workers, 'worker')}`;
  const slice = whole ? '' : ` (shard ${opts.shard.index}/${opts.shard.count})`;
  const lines = [
    `sweep ${spec.name}${slice}: ${plural(cellsHere, 'cell')}, ${plural(runs.length, 'run')} of ${plural(spec.rounds, 'round')} in ${seconds.toFixed(1)} s ${how}`,
    ...(whole ? livenessChart(written.cells) : []),
    `wrote ${written.files.join(', ')}`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function merge(opts: SweepOptions, io: SweepIo): Promise<number> {
  const shards = opts.mergeDirs.map((dir) => ({ dir, results: readResults(dir) }));
  const first = shards[0] as { dir: string; results: ResultsFile };
  const specText = JSON.stringify(first.results.spec);
  for (const s of shards) {
    if (JSON.stringify(s.results.spec) !== specText)
      throw new SweepError(`sweep merge: ${s.dir} ran another spec than ${first.dir}`);
  }
  const spec = specFromObject(first.results.spec, `${first.dir}/results.json`);
  const grid = buildGrid(spec);
  const byRun = new Map<number, RunResult>();
  for (const s of shards)
    for (const r of s.results.runs) {
      if (r.run < 0 || r.run >= grid.runs.length || !Number.isInteger(r.run))
        throw new SweepError(`sweep merge: ${s.dir} has run ${r.run}, outside the grid`);
      if (byRun.has(r.run))
        throw new SweepError(`sweep merge: run ${r.run} appears twice (${s.dir})`);
      byRun.set(r.run, r);
    }
  const missing = grid.runs.filter((r) => !byRun.has(r.index));
  if (missing.length > 0) {
    const count = first.results.shard.count;
    const lost = [...new Set(missing.map((r) => r.index % count))]
      .slice(0, 5)
      .map((i) => `${i}/${count}`);
    throw new SweepError(
      `sweep merge: ${missing.length} of ${grid.runs.length} runs missing (shards ${lost.join(', ')} not given?)`,
    );
  }
  checkOutDir(opts.out, ALL_FILES, opts.force);
  const runs = grid.runs.map((r) => byRun.get(r.index) as RunResult);
  const written = await writeSweep(opts.out, spec.name, grid, {
    format: FORMAT,
    spec: specToObject(spec),
    shard: { index: 0, count: 1 },
    runs,
  });
  io.stdout.write(
    `${[
      `sweep ${spec.name}: merged ${plural(shards.length, 'shard folder')}, ${plural(grid.cells.length, 'cell')}, ${plural(runs.length, 'run')}`,
      ...livenessChart(written.cells),
      `wrote ${written.files.join(', ')}`,
    ].join('\n')}\n`,
  );
  return 0;
}

function llmOptions(
  opts: SweepOptions,
  env: Env,
): (NonNullable<ExecuteOptions['llm']> & { secrets: string[] }) | undefined {
  // Thousands of runs are thousands of calls: a sweep uses a model only when told which.
  if (opts.offline || (opts.baseUrl === undefined && opts.model === undefined)) return undefined;
  const llm = loadLlmConfig(opts, env);
  if (llm.mode !== 'llm') throw new UsageError(`sweep: no model endpoint (${llm.reason})`);
  return {
    client: createLlmClient(llm),
    concurrency: opts.concurrency,
    phaseDeadlineMs: llm.timeoutMs + 5_000,
    secrets: llm.apiKey ? [llm.apiKey] : [],
  };
}

function readSpec(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new SweepError(
      `${file}: cannot read the sweep spec (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}
