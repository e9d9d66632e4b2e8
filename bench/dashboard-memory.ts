// Memory over a long offline run with the dashboard attached: RSS after 10,000 rounds set against
// RSS after 1,000 (DESIGN.md "Performance targets").
//
// Each reading pauses the run, collects, and waits until RSS stops falling (bench/dashboard-rss.ts):
// what the process holds, not the garbage V8 lets its heap carry. Left alone at --speed max, V8
// sizes its old generation to the allocation rate: RSS climbs for the first several seconds
// (~160 to ~250 MB over the first 20,000 rounds in one run, the live heap level at 26-33 MB) and
// then stays there, so a reading without a collection at round 1,000 or 10,000 measures where
// that climb has got to, which depends on the engine's speed; and a reading straight after a
// collection swings 15-20% from one to the next. The RSS at each pause, before the collection,
// is printed too (it carries the garbage of the 1,000 rounds since the last reading).
import stripAnsi from 'strip-ansi';
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS, type ScenarioSpec } from '../src/core/scenario.js';
import { createRuntime } from '../src/runtime/run-offline.js';
import { loadDashboard, mountDashboard, type Dashboard } from './dashboard-mount.js';
import { settledReading } from './dashboard-rss.js';
import { fmt } from './dashboard-stats.js';
import { getGc } from './gc.js';

const MEMORY_TARGET = 1.2;
const MEMORY_ROUNDS = 10_000;
const MEMORY_STEP = 1000;
const CHAOS = BUILTIN_SCENARIOS['chaos'] as ScenarioSpec;

interface MemorySample {
  rss: number;
  rssBefore: number;
  heap: number;
  frames: number;
  log: number;
  history: number;
  /** Wall ms since the start, the pauses for readings left out. */
  ms: number;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function memory(): Promise<void> {
  // Loaded before anything is measured, so the module graph is not part of the first sample.
  await loadDashboard();
  console.log(
    `\n== dashboard memory over a long run: offline, chaos + free play, --speed max, dashboard ` +
      `attached (React ${process.env.NODE_ENV} build); RSS after full collections, the run paused ==`,
  );
  if (!getGc()) console.log('  (no gc available: figures include garbage)');
  const cfg = makeCoreConfig({
    seed: 2,
    scenario: CHAOS,
    protocol: 'bft',
    freePlay: true,
    maxRounds: 1_000_000,
  });
  const runtime = createRuntime(cfg, { speed: 'max' });
  const samples = new Map<number, MemorySample>();
  const t0 = performance.now();
  let paused = 0;
  let done: () => void = () => {};
  const reached = new Promise<void>((resolve) => (done = resolve));
  let dashboard: Dashboard | null = null;
  runtime.onEvent((e) => {
    // Read while the run and the dashboard are live: round n + 1 starts once n are done.
    if (e.type !== 'round_start' || (e.round - 1) % MEMORY_STEP !== 0 || e.round === 1) return;
    const board = dashboard;
    if (!board) return;
    const round = e.round - 1;
    const ms = performance.now() - t0 - paused;
    const frames = board.screen.frameCount;
    const { log, history } = board.store.getState();
    void settledReading(runtime).then((reading) => {
      paused += reading.pausedMs;
      samples.set(round, {
        rss: reading.rss,
        rssBefore: reading.rssBefore,
        heap: reading.heap,
        frames,
        log: log.length,
        history: history.length,
        ms,
      });
      if (round >= MEMORY_ROUNDS) done();
    });
  });
  dashboard = await mountDashboard(runtime, cfg, 'offline', false);
  await reached;
  const shownRound = /round\s+(\d+)/i.exec(stripAnsi(dashboard.screen.lastFrame))?.[1] ?? '?';
  await dashboard.close();
  reportMemory(samples, shownRound);
}

function reportMemory(samples: ReadonlyMap<number, MemorySample>, shownRound: string): void {
  const first = samples.get(MEMORY_STEP);
  const last = samples.get(MEMORY_ROUNDS);
  if (!first || !last) throw new Error('memory samples missing');
  const line = (label: string, s: MemorySample) =>
    console.log(
      `  ${label.padEnd(20)} rss ${mb(s.rss).padStart(9)} (${mb(s.rssBefore)} before the collection)  ` +
        `heap ${mb(s.heap).padStart(8)}  frames written ${String(s.frames).padStart(5)}  ` +
        `log ${s.log} entries  history ${s.history}  at ${fmt(s.ms / 1000, 2)} s`,
    );
  line('after 1,000 rounds:', first);
  line('after 10,000 rounds:', last);
  const series = [...samples.values()];
  const column = (pick: (s: MemorySample) => number) =>
    series.map((s) => fmt(pick(s) / 1024 / 1024, 0)).join(' ');
  console.log(
    `  every 1,000 rounds, MB: rss ${column((s) => s.rss)}; before the collections ` +
      `${column((s) => s.rssBefore)}; heap ${column((s) => s.heap)}`,
  );
  const ratio = last.rss / first.rss;
  console.log(
    `  RSS ratio 10k/1k: ${fmt(ratio, 3)} (target <= ${MEMORY_TARGET}: ${ratio <= MEMORY_TARGET ? 'meets' : 'ABOVE'}); ` +
      `before the collections ${fmt(last.rssBefore / first.rssBefore, 3)}; heap ratio ${fmt(last.heap / first.heap, 3)}; ` +
      `${fmt(((MEMORY_ROUNDS - MEMORY_STEP) * 1000) / (last.ms - first.ms), 0)} rounds/s and ` +
      `${fmt(((last.frames - first.frames) * 1000) / (last.ms - first.ms))} frames/s meanwhile; ` +
      `the last frame shows round ${shownRound}`,
  );
}
