// `hybrid-tui sweep` options: which grid (a spec file, a preset, flags on top of either), where
// the outputs go, how many workers, which shard. Grid flags are turned into the spec file's own
// form and validated by the same schema, so a bad value gets the same one-line error either way.
import { parseArgs } from 'node:util';
import { UsageError } from '../cli/args.js';
import { PRESET_NAMES, type PresetName } from './presets.js';
import type { Shard } from './grid.js';

export interface SweepOptions {
  command: 'run' | 'merge';
  specFile: string | null;
  mergeDirs: string[];
  preset: PresetName | null;
  /** Grid fields given as flags, in the spec file's form. */
  overrides: Record<string, unknown>;
  out: string;
  force: boolean;
  workers: number | null;
  shard: Shard;
  quiet: boolean;
  offline: boolean;
  baseUrl?: string;
  model?: string;
  concurrency: number;
  timeoutS?: number;
  maxTokens?: number;
  temperature?: number;
  help: boolean;
}

/** Flag name -> spec field, for the grid flags; values are comma-separated lists. */
export const GRID_FLAGS = {
  rounds: 'rounds',
  seeds: 'seeds',
  'base-seed': 'base_seed',
  name: 'name',
  protocol: 'protocol',
  adversary: 'adversary',
  byzantine: 'byzantine',
  'byzantine-share': 'byzantine_share',
  'byzantine-rate': 'byzantine_rate',
  quorum: 'quorum',
  'offline-noise': 'offline_noise',
  faults: 'faults',
  'job-mix': 'job_mix',
  'jail-heights': 'jail_heights',
} as const;
export const FLAG_OF_FIELD: Record<string, string> = Object.fromEntries(
  Object.entries(GRID_FLAGS).map(([flag, field]) => [field, `--${flag}`]),
);

const OPTIONS = {
  preset: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  quiet: { type: 'boolean' },
  offline: { type: 'boolean' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(Object.keys(GRID_FLAGS).map((f) => [f, { type: 'string' }])),
} as const;

export function parseSweepArgs(argv: string[]): SweepOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    const flag = /'(-[^' ]*)/.exec(e.message)?.[1] ?? 'an option';
    throw new UsageError(
      e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `sweep: unknown option ${flag} (see hybrid-tui sweep --help)`
        : e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? `sweep: ${flag} needs a value`
          : `sweep: ${e.message.split('\n')[0] ?? 'bad arguments'}`,
    );
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const str = (k: string) => (typeof v[k] === 'string' ? v[k] : undefined);
  const pos = parsed.positionals;
  const merge = pos[0] === 'merge';
  if (merge && pos.length < 2) throw new UsageError('sweep merge: name the shard folders to merge');
  if (!merge && pos.length > 1) throw new UsageError(`sweep: unexpected argument "${pos[1]}"`);
  const preset = str('preset');
  if (preset !== undefined && !(PRESET_NAMES as string[]).includes(preset))
    throw new UsageError(`--preset: "${preset}" is not one of ${PRESET_NAMES.join(', ')}`);
  if (preset !== undefined && !merge && pos.length === 1)
    throw new UsageError('sweep: give a spec file or --preset, not both');
  const overrides: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(GRID_FLAGS)) {
    const text = str(flag);
    if (text !== undefined) overrides[field] = flagValue(field, text);
  }
  if (merge && (Object.keys(overrides).length > 0 || preset !== undefined))
    throw new UsageError('sweep merge: the grid comes from the shards; drop the grid options');
  return {
    command: merge ? 'merge' : 'run',
    specFile: merge ? null : (pos[0] ?? null),
    mergeDirs: merge ? pos.slice(1) : [],
    preset: (preset as PresetName | undefined) ?? null,
    overrides,
    out: str('out') ?? 'sweep-out',
    force: Boolean(v['force']),
    workers: str('workers') === undefined ? null : int('--workers', str('workers')!, 1, 1024),
    shard: shard(str('shard')),
    quiet: Boolean(v['quiet']),
    offline: Boolean(v['offline']),
    ...(str('base-url') !== undefined ? { baseUrl: str('base-url') } : {}),
    ...(str('model') !== undefined ? { model: str('model') } : {}),
    concurrency:
      str('concurrency') === undefined ? 4 : int('--concurrency', str('concurrency')!, 1, 256),
    ...(str('timeout') !== undefined ? { timeoutS: Number(str('timeout')) } : {}),
    ...(str('max-tokens') !== undefined ? { maxTokens: Number(str('max-tokens')) } : {}),
    ...(str('temperature') !== undefined ? { temperature: Number(str('temperature')) } : {}),
    help: Boolean(v['help']),
  };
}

/** A flag's text in the spec's form: lists by commas, numbers as numbers, `a+b` as a list of ids. */
function flagValue(field: string, text: string): unknown {
  const items = text.split(',').map((s) => s.trim());
  const scalar = (s: string): unknown => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
  switch (field) {
    case 'name':
      return text;
    case 'rounds':
    case 'seeds':
    case 'base_seed':
      return scalar(text);
    case 'byzantine':
      return items.map((s) => (/^\d+$/.test(s) ? Number(s) : s === 'none' ? [] : s.split('+')));
    case 'quorum':
      return items.map((s) => (s === 'default' ? null : scalar(s)));
    case 'job_mix':
      return items.map((s) => (s === 'all' ? null : s.split('+')));
    case 'faults':
      return items.map((set) => (set === 'none' ? [] : set.split('+').map(faultOf)));
    default:
      return items.map(scalar);
  }
}

/** `kind:agent@after_rounds:duration_s`, e.g. crash:delta@5:20. */
function faultOf(text: string): unknown {
  const m = /^([a-z]+):([A-Za-z0-9_.-]+)(?:@(\d+))?:(\d+(?:\.\d+)?)$/.exec(text);
  if (!m)
    throw new UsageError(
      `--faults: "${text}" is not KIND:AGENT@AFTER_ROUNDS:SECONDS (e.g. crash:delta@5:20)`,
    );
  return { kind: m[1], agent: m[2], after_rounds: Number(m[3] ?? 0), duration_s: Number(m[4]) };
}

function int(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag}: "${text}" is not a whole number from ${min} to ${max}`);
  return n;
}

function shard(text: string | undefined): Shard {
  if (text === undefined) return { index: 0, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > 100_000 || index >= count)
    throw new UsageError(`--shard: "${text}" is not I/N with 0 <= I < N (e.g. 0/8)`);
  return { index, count };
}

export const SWEEP_HELP = `hybrid-tui sweep — a grid of headless runs, in parallel, into CSV, Markdown and SVG

Usage:
  hybrid-tui sweep [SPEC.yaml|SPEC.json] [options]   run a grid (a spec file, --preset, or flags)
  hybrid-tui sweep merge DIR... [--out DIR]          combine shard outputs into the whole sweep's

Grid (comma-separated lists; each overrides the spec or preset):
  --preset smoke|paper|quorum   built-in grids (smoke: seconds; paper: the headline table;
                                quorum: bft under an equivocator, quorum 0.5 to 0.9)
  --protocol classic,bft        --adversary default,original,strategic,equivocate,silent
  --byzantine 0,1,beta+delta    byzantine agents: a count (the first N agents) or ids joined by +
  --byzantine-share 0.2,0.4     or: agents in order up to this share of the weight
  --byzantine-rate 0.7,1        --quorum default,0.5,0.9      --offline-noise 0,0.1
  --faults none,crash:delta@5:20+slow:gamma@0:30   fault sets: KIND:AGENT@AFTER_ROUNDS:SECONDS
  --job-mix all,ai-training+log-archive            --rounds N (per run)  --seeds N  --base-seed N
  --jail-heights 1,10,100       bft: heights an agent jailed on evidence sits out (default 10)

Running:
  --out DIR                     where outputs go (default sweep-out); never overwritten without --force
  --force                       overwrite earlier outputs in --out
  --workers N                   worker threads for offline runs (default: all cores)
  --shard I/N                   run only the I-th of N disjoint slices (Slurm job arrays)
  --quiet                       no progress line on stderr
  --base-url URL  --model NAME  run against a model (keys from the environment only); a sweep is
                                offline unless one of these is given
  --concurrency N               runs (so model calls) in flight at once against a model (default 4)
  --timeout S  --max-tokens N  --temperature T
  -h, --help  -V, --version

Outputs: results.json, runs.csv; whole sweeps also cells.csv, cells.md and three SVG plots.`;
