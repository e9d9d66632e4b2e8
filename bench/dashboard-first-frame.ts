// Time to the dashboard's first frame with every agent on it, in a real pseudo-terminal
// (util-linux `script`), set against bare `node -e 0` through the same wrapper in the same run,
// the two alternating within each repetition (DESIGN.md: within 0.5 s of bare node start-up).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import stripAnsi from 'strip-ansi';
import { fmt, quantile } from './dashboard-stats.js';

/** What `npm start` and the `bin` run: the one-file bundle (scripts/bundle.mjs). */
const BUNDLE = join(import.meta.dirname, '../src/cli/hybrid-tui.mjs');
/** The same program as separate modules, as tsc writes it (for the bundle's gain). */
const MODULES = join(import.meta.dirname, '../src/cli/main.js');
const AGENTS = ['Alpha-GPU', 'Beta-Memory', 'Gamma-Compute', 'Delta-Storage', 'Epsilon-Network'];
const REPS = 7;
const TARGET_MS = 500;

/** Wall ms from spawn until `done` holds for the output (or until exit, with no predicate). */
function timed(command: string, done: ((out: string) => boolean) | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, TERM: 'xterm-256color' },
    });
    let out = '';
    let settled = false;
    const finish = (ms: number) => {
      if (settled) return;
      settled = true;
      resolve(ms);
    };
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      if (done === null) return;
      out += chunk.toString('utf8');
      if (done(stripAnsi(out))) {
        finish(performance.now() - t0);
        child.kill('SIGTERM');
      }
    });
    child.on('exit', () => finish(done === null ? performance.now() - t0 : Number.NaN));
  });
}

export async function main(): Promise<void> {
  console.log(
    `\n== dashboard first frame: spawn to a frame showing all 5 agents (offline, 120x40 pty), ` +
      `against bare \`node -e 0\` in the same pty wrapper; ${REPS} alternating repetitions ==`,
  );
  const bare: number[] = [];
  const first: number[] = [];
  const modules: number[] = [];
  const dashboard = (bin: string) =>
    timed(`stty cols 120 rows 40; ${process.execPath} ${bin} --offline --seed 1`, (out) =>
      AGENTS.every((name) => out.includes(name)),
    );
  for (let i = 0; i < REPS; i++) {
    bare.push(await timed(`${process.execPath} -e 0`, null));
    first.push(await dashboard(BUNDLE));
    modules.push(await dashboard(MODULES));
  }
  const median = (xs: number[]) =>
    quantile(
      [...xs].sort((x, y) => x - y),
      0.5,
    );
  const b = median(bare);
  const f = median(first);
  const list = (xs: number[]) => xs.map((x) => fmt(x, 0)).join(' ');
  console.log(`  bare node -e 0:             median ${fmt(b, 0)} ms  (${list(bare)})`);
  console.log(`  first full frame (bundle):  median ${fmt(f, 0)} ms  (${list(first)})`);
  console.log(
    `  first full frame (modules): median ${fmt(median(modules), 0)} ms  (${list(modules)}); ` +
      `the bundle takes ${fmt(f / median(modules), 2)}x`,
  );
  console.log(
    `  first frame - bare node: ${fmt(f - b, 0)} ms (target <= ${TARGET_MS}: ${f - b <= TARGET_MS ? 'meets' : 'ABOVE'}); ` +
      `ratio ${fmt(f / b, 2)}x`,
  );
}
