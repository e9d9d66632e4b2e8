// What a sweep leaves in --out: results.json (every run's figures and the spec: what `sweep
// merge` reads), runs.csv, and, for a whole sweep, cells.csv, cells.md and the SVG plots. A single
// run and a merge of shards both end in writeSweep, so their files are the same bytes.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Grid, Shard } from './grid.js';
import { METRICS } from './metrics.js';
import { renderPlots } from './plots.js';
import {
  CELL_COLUMNS,
  cellRows,
  RUN_COLUMNS,
  runRows,
  toCsv,
  type Row,
  type RunResult,
} from './rows.js';
import { SweepError } from './spec.js';
import { markdownTable } from './table.js';

export const FORMAT = 'hybrid-tui-sweep/1';
export const SHARD_FILES = ['results.json', 'runs.csv'] as const;
export const ALL_FILES = [
  ...SHARD_FILES,
  'cells.csv',
  'cells.md',
  'liveness-vs-faulty-share.svg',
  'best-node-vs-byzantine-share.svg',
  'quorum-safety-liveness.svg',
] as const;

export interface ResultsFile {
  format: typeof FORMAT;
  spec: Record<string, unknown>;
  shard: Shard;
  runs: RunResult[];
}

/** Refuses, in one line and before any work, to overwrite earlier outputs unless forced. */
export function checkOutDir(dir: string, files: readonly string[], force: boolean): void {
  if (force) return;
  const existing = files.find((f) => existsSync(join(dir, f)));
  if (existing !== undefined)
    throw new SweepError(
      `--out: ${join(dir, existing)} already exists (use --force to overwrite, or another --out)`,
    );
}

export function resultsText(r: ResultsFile): string {
  const head = JSON.stringify({ format: r.format, spec: r.spec, shard: r.shard });
  const runs = r.runs.map((x) => JSON.stringify(x)).join(',\n');
  return `${head.slice(0, -1)},"runs":[\n${runs}\n]}\n`;
}

export function readResults(dir: string): ResultsFile {
  const file = join(dir, 'results.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SweepError(`${file}: ${code ? `cannot read (${code})` : 'not a sweep results file'}`);
  }
  const r = raw as Partial<ResultsFile>;
  if (r.format !== FORMAT || !r.spec || !r.shard || !Array.isArray(r.runs))
    throw new SweepError(`${file}: not a ${FORMAT} results file`);
  for (const x of r.runs)
    if (typeof x?.run !== 'number' || typeof x.metrics !== 'object' || x.metrics === null)
      throw new SweepError(`${file}: a run without its index or figures`);
    else for (const m of METRICS) x.metrics[m] ??= null;
  return r as ResultsFile;
}

export interface Written {
  files: string[];
  cells: Row[];
}

/** Writes a shard's files, or a whole sweep's (shard 0 of 1) with its cells, table and plots. */
export async function writeSweep(
  dir: string,
  title: string,
  grid: Grid,
  results: ResultsFile,
): Promise<Written> {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, string>();
  files.set('results.json', resultsText(results));
  files.set('runs.csv', toCsv(RUN_COLUMNS, runRows(grid, results.runs)));
  const whole = results.shard.count === 1;
  const cells = whole ? cellRows(grid, results.runs) : [];
  if (whole) {
    files.set('cells.csv', toCsv(CELL_COLUMNS, cells));
    files.set('cells.md', markdownTable(title, cells));
    for (const [file, svg] of await renderPlots(title, cells)) files.set(file, `${svg}\n`);
  }
  // Each file appears whole or not at all: written aside, then renamed into place.
  for (const [name, text] of files) {
    const path = join(dir, name);
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  }
  return { files: [...files.keys()].map((f) => join(dir, f)), cells };
}
