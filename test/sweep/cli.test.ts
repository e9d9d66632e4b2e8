// `hybrid-tui sweep` through the built binary: the same bytes whatever the worker count or the
// sharding, outputs never overwritten unasked, merges that refuse incomplete or mixed shards.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveAdversary } from '../../src/sweep/knobs.js';
import { cleanEnv, runCli, tempDir } from '../cli/helpers.js';

/** The installed `bin` (package.json): the bundle, whose modules live elsewhere than dist's. */
const BUNDLED_BIN = join(import.meta.dirname, '../../dist/src/cli/hybrid-tui.mjs');

const GRID = ['--preset', 'smoke', '--seeds', '4', '--byzantine-rate', '0.7,1', '--quiet'];

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

function sweep(args: string[]) {
  const r = runCli(['sweep', ...args]);
  if (r.code !== 0) throw new Error(`sweep ${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

describe('hybrid-tui sweep', () => {
  const root = tempDir();
  const single = join(root, 'one-worker');
  sweep([...GRID, '--workers', '1', '--out', single]);
  const reference = filesOf(single);

  it('runs from the installed bin (the bundle) on 2 workers, to the same bytes', () => {
    const out = join(root, 'bundled');
    const r = spawnSync(
      process.execPath,
      [BUNDLED_BIN, 'sweep', ...GRID, '--workers', '2', '--out', out],
      { env: cleanEnv(), encoding: 'utf8' },
    );
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(filesOf(out)).toEqual(reference);
  });

  it('writes the CSVs, the table and the plots with the documented columns', () => {
    expect(Object.keys(reference)).toEqual([
      'best-node-vs-byzantine-share.svg',
      'cells.csv',
      'cells.md',
      'liveness-vs-faulty-share.svg',
      'quorum-safety-liveness.svg',
      'results.json',
      'runs.csv',
    ]);
    const runHeader = reference['runs.csv']!.split('\n')[0]!.split(',');
    const cellHeader = reference['cells.csv']!.split('\n')[0]!.split(',');
    const metrics = [
      'rounds',
      'invalid_commit_rate',
      'fork_rate',
      'liveness',
      'best_node_rate',
      'mean_regret',
      'detection_precision',
      'detection_recall',
    ];
    for (const c of [
      'protocol',
      'adversary',
      'byzantine_share',
      'byzantine_rate',
      'quorum',
      'seed',
      ...metrics,
    ])
      expect(runHeader).toContain(c);
    for (const c of [
      'protocol',
      'adversary',
      'byzantine_share',
      'byzantine_rate',
      'quorum',
      'runs',
    ])
      expect(cellHeader).toContain(c);
    for (const m of metrics.slice(1))
      for (const s of ['mean', 'lo', 'hi']) expect(cellHeader).toContain(`${m}_${s}`);
    expect(cellHeader).not.toContain('seed');
    // 2 protocols x 2 byzantine counts x 2 rates = 8 cells, 4 seeds each.
    expect(reference['runs.csv']!.trim().split('\n')).toHaveLength(1 + 32);
    expect(reference['cells.csv']!.trim().split('\n')).toHaveLength(1 + 8);
    expect(reference['cells.md']).toMatch(
      /^\| classic \| original \| alpha \| 0\.24 \| 1\.00 \| 0\.67 \| 4 \| 1\.00 \[1\.00, 1\.00\] \| 0\.\d\d \[/m,
    );
    // Classic commits n999 under an attacker and its regret still reads 0: the table says why.
    expect(reference['cells.md']).toContain('Regret is over the valid commits only');
    expect(reference['liveness-vs-faulty-share.svg']).toMatch(/^<svg /);
    expect(reference['liveness-vs-faulty-share.svg']).toContain('1/3 of the weight');
  });

  it('gives the same bytes on 2 workers as on 1', () => {
    const two = join(root, 'two-workers');
    sweep([...GRID, '--workers', '2', '--out', two]);
    expect(filesOf(two)).toEqual(reference);
  });

  it('gives the same bytes from 3 shards merged as from one run', () => {
    const shards = [0, 1, 2].map((i) => join(root, `shard-${i}`));
    shards.forEach((dir, i) => sweep([...GRID, '--shard', `${i}/3`, '--out', dir]));
    expect(Object.keys(filesOf(shards[0]!))).toEqual(['results.json', 'runs.csv']);
    const merged = join(root, 'merged');
    const r = sweep(['merge', ...shards, '--out', merged]);
    expect(r.stdout).toContain('merged 3 shard folders, 8 cells, 32 runs');
    expect(filesOf(merged)).toEqual(reference);
  });

  it('refuses an incomplete or mixed set of shards, in one line', () => {
    const a = join(root, 'inc-0');
    const b = join(root, 'inc-1');
    sweep([...GRID, '--shard', '0/2', '--out', a]);
    sweep([...GRID, '--seeds', '5', '--shard', '1/2', '--out', b]);
    const missing = runCli(['sweep', 'merge', a, '--out', join(root, 'm1')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'hybrid-tui: sweep merge: 16 of 32 runs missing (shards 1/2 not given?)\n',
    );
    const mixed = runCli(['sweep', 'merge', a, b, '--out', join(root, 'm2')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toBe(`hybrid-tui: sweep merge: ${b} ran another spec than ${a}\n`);
    const twice = runCli(['sweep', 'merge', a, a, '--out', join(root, 'm3')]);
    expect(twice.stderr).toMatch(/^hybrid-tui: sweep merge: run 0 appears twice/);
    const none = runCli(['sweep', 'merge', root, '--out', join(root, 'm4')]);
    expect(none.stderr).toBe(`hybrid-tui: ${join(root, 'results.json')}: cannot read (ENOENT)\n`);
  });

  it('never overwrites earlier outputs unless --force, and checks before running', () => {
    const dir = join(root, 'keep');
    sweep([...GRID, '--out', dir]);
    writeFileSync(join(dir, 'cells.md'), 'my notes');
    const again = runCli(['sweep', ...GRID, '--out', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `hybrid-tui: --out: ${join(dir, 'results.json')} already exists (use --force to overwrite, or another --out)\n`,
    );
    expect(readFileSync(join(dir, 'cells.md'), 'utf8')).toBe('my notes');
    sweep([...GRID, '--out', dir, '--force']);
    expect(readFileSync(join(dir, 'cells.md'), 'utf8')).toBe(reference['cells.md']);
  });

  it('shows progress on stderr and a chart in the summary', () => {
    const r = sweep(['--preset', 'smoke', '--out', join(root, 'progress')]);
    // stderr is a pipe here: plain lines, the last one complete.
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      /^sweep \[#{20}\] cells 4\/4 {2}runs 12\/12 {2}\d+\.\d runs\/s {2}ETA 0s$/,
    );
    expect(r.stderr).not.toContain('\r');
    expect(r.stdout).toMatch(
      /^sweep smoke: 4 cells, 12 runs of 8 rounds in \d+\.\d s offline on \d+ workers?\n/,
    );
    expect(r.stdout).toMatch(/ {2}classic\n {4}share 0\.00 █{30} 1\.00 {2}1\.00 \| – {2}original/);
  });

  it('reads a YAML spec file', () => {
    const file = join(root, 'mine.yaml');
    writeFileSync(file, 'name: mine\nrounds: 3\nseeds: 2\nprotocol: bft\nbyzantine: [[beta]]\n');
    const r = sweep([file, '--out', join(root, 'yaml'), '--quiet']);
    expect(r.stdout).toMatch(/^sweep mine: 1 cell, 2 runs of 3 rounds/);
    const runs = readFileSync(join(root, 'yaml', 'runs.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(runs).toHaveLength(3);
    // The default adversary is the protocol's own: whatever this engine plays under bft.
    expect(runs[1]).toMatch(
      new RegExp(`^0,0,bft,${effectiveAdversary('bft', 'default')},beta,0\\.218182,0\\.7,`),
    );
  });

  it('varies the jail term: a longer term keeps an equivocator out longer', () => {
    const out = join(root, 'jail');
    const args = ['--protocol', 'bft', '--adversary', 'equivocate', '--byzantine', '1'];
    sweep([
      ...args,
      '--jail-heights',
      '1,20',
      '--rounds',
      '30',
      '--seeds',
      '2',
      '--out',
      out,
      '--quiet',
    ]);
    const [header, ...rows] = readFileSync(join(out, 'cells.csv'), 'utf8').trim().split('\n');
    const columns = header!.split(',');
    const cells = rows.map((row) => {
      const values = row.split(',');
      return Object.fromEntries(columns.map((c, i) => [c, values[i]]));
    });
    expect(cells.map((c) => c['jail_heights'])).toEqual(['1', '20']);
    expect(Number(cells[1]!['jailed_ms_mean'])).toBeGreaterThan(
      2 * Number(cells[0]!['jailed_ms_mean']),
    );
    const table = readFileSync(join(out, 'cells.md'), 'utf8');
    expect(table).toMatch(/\| quorum \| jail \| runs \|/);
    expect(table).toMatch(/\| 0\.67 \| 20 \| 2 \|/);
  });
});
