// Memory over a long offline run with the dashboard attached: RSS around round 100,000 set
// against RSS around round 10,000 (DESIGN.md "Performance targets": RSS after 10x the rounds
// about the same).
//
// Two things make one early RSS reading a poor baseline. At --speed max V8 sizes its old
// generation to the allocation rate over the first several thousand rounds (heapTotal 110 MB at
// round 2,000, about 160 MB from round 6,000 on, the live heap 26-29 MB throughout), so RSS
// climbs from ~160 to ~225 MB and then stays there (216-237 MB from round 6,000 to 40,000 in one
// run); a reading at round 1,000 measures that warm-up, not growth. And one reading swings: with
// the live heap level, RSS read every 1,000 rounds after full collections went 124, 144, 152,
// 167, 162, 162, 134, 147, 160, 159 MB. So RSS is read as it is (no collection forced) every 100
// rounds over two windows after the warm-up, rounds 9,000-10,000 and 99,000-100,000, and the
// figure is the ratio of their medians: ten times the rounds, both windows read the same way, so
// memory that stays (a leak, a cache that keeps growing) still shows. The live heap is read after
// full collections at the end of each window.
import stripAnsi from 'strip-ansi';
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS, type ScenarioSpec } from '../src/core/scenario.js';
import { createRuntime } from '../src/runtime/run-offline.js';
import { loadDashboard, mountDashboard, type Dashboard } from './dashboard-mount.js';
import { fmt, median } from './dashboard-stats.js';
import { getGc, settle } from './gc.js';

const MEMORY_TARGET = 1.2;
const EVERY = 100;
/** The first and the last window of readings: [from, to] rounds, both ends included. */
const EARLY = [9000, 10_000] as const;
const LATE = [99_000, 100_000] as const;
/** Outside the windows, a reading every this many rounds for the series. */
const SERIES_EVERY = 10_000;
const CHAOS = BUILTIN_SCENARIOS['chaos'] as ScenarioSpec;

interface Reading {
  round: number;
  rss: number;
  ms: number;
  frames: number;
}

interface Live {
  heap: number;
  log: number;
  history: number;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const within = (round: number, [from, to]: readonly [number, number]) =>
  round >= from && round <= to;

export async function memory(): Promise<void> {
  // Loaded before anything is measured, so the module graph is not part of the first reading.
  await loadDashboard();
  console.log(
    `\n== dashboard memory over a long run: offline, chaos + free play, --speed max, dashboard ` +
      `attached (React ${process.env.NODE_ENV} build) ==`,
  );
  if (!getGc()) console.log('  (no gc available: live heap figures include garbage)');
  const cfg = makeCoreConfig({
    seed: 2,
    scenario: CHAOS,
    protocol: 'bft',
    freePlay: true,
    maxRounds: 10_000_000,
  });
  const runtime = createRuntime(cfg, { speed: 'max' });
  const readings: Reading[] = [];
  const live = new Map<number, Live>();
  const t0 = performance.now();
  let done: () => void = () => {};
  const reached = new Promise<void>((resolve) => (done = resolve));
  let dashboard: Dashboard | null = null;
  runtime.onEvent((e) => {
    // Read while the run and the dashboard are live: round n + 1 starts once n are done.
    const round = e.type === 'round_start' ? e.round - 1 : 0;
    if (round === 0 || !dashboard) return;
    const read = within(round, EARLY) || within(round, LATE) ? EVERY : SERIES_EVERY;
    if (round % read !== 0) return;
    readings.push({
      round,
      rss: process.memoryUsage().rss,
      ms: performance.now() - t0,
      frames: dashboard.screen.frameCount,
    });
    if (round !== EARLY[1] && round !== LATE[1]) return;
    // The end of a window: the live heap, after its readings were taken.
    settle();
    const state = dashboard.store.getState();
    live.set(round, {
      heap: process.memoryUsage().heapUsed,
      log: state.log.length,
      history: state.history.length,
    });
    if (round === LATE[1]) done();
  });
  dashboard = await mountDashboard(runtime, cfg, 'offline', false);
  await reached;
  const shownRound = /round\s+(\d+)/i.exec(stripAnsi(dashboard.screen.lastFrame))?.[1] ?? '?';
  await dashboard.close();
  reportMemory(readings, live, shownRound);
}

function reportMemory(
  readings: readonly Reading[],
  live: ReadonlyMap<number, Live>,
  shownRound: string,
): void {
  const early = readings.filter((r) => within(r.round, EARLY));
  const late = readings.filter((r) => within(r.round, LATE));
  const liveEarly = live.get(EARLY[1]);
  const liveLate = live.get(LATE[1]);
  const first = early[0];
  const last = late.at(-1);
  if (!liveEarly || !liveLate || !first || !last || late.length !== early.length)
    throw new Error('memory readings missing');
  const rssMb = (r: Reading) => fmt(r.rss / 1024 / 1024, 0);
  const window = (label: string, span: readonly [number, number], rs: readonly Reading[]) =>
    console.log(
      `  rounds ${span[0]}-${span[1]}${label}: rss median ${mb(median(rs.map((r) => r.rss)))} ` +
        `(${rs.map(rssMb).join(' ')})`,
    );
  window(' ', EARLY, early);
  window('', LATE, late);
  console.log(
    `  rss every 10,000 rounds, MB: ${readings
      .filter((r) => r.round % SERIES_EVERY === 0)
      .map(rssMb)
      .join(' ')}; live heap after full GCs ${mb(liveEarly.heap)} at round ${EARLY[1]}, ` +
      `${mb(liveLate.heap)} at ${LATE[1]}; log ${liveLate.log} entries, history ${liveLate.history}`,
  );
  const ratio = median(late.map((r) => r.rss)) / median(early.map((r) => r.rss));
  const spanMs = last.ms - first.ms;
  console.log(
    `  RSS ratio, median of rounds ${LATE[0]}-${LATE[1]} over ${EARLY[0]}-${EARLY[1]}: ${fmt(ratio, 3)} ` +
      `(target <= ${MEMORY_TARGET}: ${ratio <= MEMORY_TARGET ? 'meets' : 'ABOVE'}); one reading at ` +
      `${LATE[1]} over one at ${EARLY[0]}: ${fmt(last.rss / first.rss, 3)}; live heap ratio ` +
      `${fmt(liveLate.heap / liveEarly.heap, 3)}; ` +
      `${fmt(((last.round - first.round) * 1000) / spanMs, 0)} rounds/s and ` +
      `${fmt(((last.frames - first.frames) * 1000) / spanMs)} frames/s meanwhile; the last frame shows round ${shownRound}`,
  );
}
