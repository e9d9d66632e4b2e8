// A sweep on a real Slurm cluster: examples/slurm-sweep.sh as a job array of 3 tasks, each a
// shard, then `sweep merge`; the merged files equal a single-machine run's byte for byte.
// CI starts a one-node cluster first (.ci/slurm-up); without Slurm (no `sinfo`) this is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, tempDir } from '../cli/helpers.js';

const SCRIPT = join(import.meta.dirname, '../../examples/slurm-sweep.sh');
const hasSlurm = spawnSync('sinfo', ['--version']).status === 0;
const GRID = ['--preset', 'smoke', '--seeds', '4', '--quiet'];

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

function sh(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...(env ? { env } : {}) });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error}`);
  return r.stdout;
}

/** Polls until the job has left the queue: at most `limitMs`, a short pause between looks. */
async function waitForJob(job: string, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    if (sh('squeue', ['-h', '-j', job]).trim() === '') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`job ${job} still queued after ${limitMs} ms: ${sh('squeue', ['-j', job])}`);
}

describe('sweep on Slurm', () => {
  it.skipIf(!hasSlurm)(
    'runs as a job array of 3 shards and merges to the single-machine bytes (skipped only when sinfo is absent; CI runs .ci/slurm-up)',
    async () => {
      const root = tempDir();
      const shards = join(root, 'shards');
      const job = sh(
        'sbatch',
        [
          '--parsable',
          '--array=0-2',
          '--cpus-per-task=1',
          '-o',
          join(root, '%A_%a.log'),
          SCRIPT,
          ...GRID,
        ],
        { ...process.env, HYBRID_TUI: `${process.execPath} ${BIN}`, SWEEP_SHARDS: shards },
      )
        .trim()
        .split(';')[0]!;
      await waitForJob(job, 90_000);
      for (const i of [0, 1, 2]) {
        const log = join(root, `${job}_${i}.log`);
        const dir = join(shards, `shard-${i}`);
        if (!existsSync(join(dir, 'results.json')))
          throw new Error(
            `task ${i} left no results: ${existsSync(log) ? readFileSync(log, 'utf8') : 'no log'}`,
          );
        expect(readFileSync(log, 'utf8')).toContain(`(shard ${i}/3)`);
      }
      const merged = join(root, 'merged');
      const m = runCli([
        'sweep',
        'merge',
        ...[0, 1, 2].map((i) => join(shards, `shard-${i}`)),
        '--out',
        merged,
      ]);
      expect(m.code).toBe(0);
      const single = join(root, 'single');
      expect(runCli(['sweep', ...GRID, '--workers', '1', '--out', single]).code).toBe(0);
      expect(filesOf(merged)).toEqual(filesOf(single));
    },
    120_000,
  );
});
