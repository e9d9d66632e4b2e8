// The report on the load runs: a row a run, then frame rate, CPU and keypress latency set
// against the targets (DESIGN.md "Performance targets").
import type { Protocol } from '../src/core/types.js';
import { KEY_PRESSES, KEY_SPACING_MS } from './dashboard-keys.js';
import { WARMUP_MS, WINDOW_MS, type LoadResult } from './dashboard-load.js';
import { ascending, fmt, maxPerSecond, median, quantile } from './dashboard-stats.js';

const FPS_TARGET = 30;
const CPU_TARGET = 0.15;
const KEY_P95_TARGET_MS = 50;

export function reportLoad(runs: readonly LoadResult[], protocols: readonly Protocol[]): void {
  console.log(
    `  windows of ${fmt(WINDOW_MS / 1000)} s after ${fmt(WARMUP_MS / 1000)} s of warm-up, ` +
      `headless and dashboard alternating; CPU = process.cpuUsage() delta / wall time (1.0 = one core)`,
  );
  console.log(
    '  run                          deltas/s  rounds/s  CPU (cores)  frames/s  max in 1 s  store updates/s',
  );
  for (const r of runs) {
    const same = runs.filter((x) => x.mode === r.mode && x.protocol === r.protocol);
    const label =
      r.mode === 'keys'
        ? `${r.protocol} + keypresses`
        : `${r.protocol} ${r.mode} #${same.indexOf(r) + 1}`;
    const t = rates(r);
    const shown = r.mode !== 'headless';
    console.log(
      `  ${label.padEnd(27)} ${fmt(t.deltasPerS, 0).padStart(9)}  ${fmt(t.roundsPerS, 2).padStart(8)}  ` +
        `${fmt(t.cores, 3).padStart(11)}  ${(shown ? fmt(t.fps) : '-').padStart(8)}  ` +
        `${(shown ? String(t.maxFps) : '-').padStart(11)}  ${(shown ? fmt(t.updatesPerS) : '-').padStart(15)}`,
    );
  }
  for (const protocol of protocols) reportProtocol(runs.filter((r) => r.protocol === protocol));

  const keys = runs.find((r) => r.mode === 'keys');
  if (keys) reportKeys(keys);
}

/**
 * Frame rate and the dashboard's own CPU: each dashboard run less the headless run before it.
 * The engine and the client cost about the same per delta, and a dashboard run may stream fewer
 * deltas (it shares the event loop), so the headless CPU is scaled to the dashboard run's
 * deltas/s before it is taken off; the plain difference is printed too.
 */
function reportProtocol(runs: readonly LoadResult[]): void {
  const headless = runs.filter((r) => r.mode === 'headless').map(rates);
  const shown = runs.filter((r) => r.mode === 'dashboard').map(rates);
  const protocol = runs[0]?.protocol ?? '?';
  const baseline = (i: number) => headless[i] ?? { cores: NaN, deltasPerS: NaN };
  const own = shown.map(
    (d, i) => d.cores - (baseline(i).cores * d.deltasPerS) / baseline(i).deltasPerS,
  );
  const plain = shown.map((d, i) => d.cores - baseline(i).cores);
  const msPerFrame = shown.map((d, i) => ((own[i] as number) * 1000) / d.fps);
  const range = (values: readonly number[], digits: number) =>
    `${fmt(Math.min(...values), digits)}-${fmt(Math.max(...values), digits)}`;
  const ownMedian = median(own);
  const gaps = ascending(
    runs
      .filter((r) => r.mode === 'dashboard')
      .flatMap((r) => r.frames.slice(1).map((t, i) => t - (r.frames[i] as number))),
  );
  const maxFps = Math.max(0, ...shown.map((d) => d.maxFps));
  console.log(
    `  ${protocol}: ${fmt(median(shown.map((d) => d.deltasPerS)), 0)} deltas/s with the dashboard, ` +
      `${fmt(median(headless.map((d) => d.deltasPerS)), 0)} headless (medians); frames/s median ` +
      `${fmt(median(shown.map((d) => d.fps)))}, max ${maxFps} in any 1 s (target <= ${FPS_TARGET}: ` +
      `${maxFps <= FPS_TARGET ? 'meets' : 'ABOVE'}); gap between frames p50 ${fmt(quantile(gaps, 0.5))} ms, ` +
      `p95 ${fmt(quantile(gaps, 0.95))} ms; ${fmt(median(shown.map((d) => d.kbPerFrame)))} KB a frame`,
  );
  console.log(
    `  ${protocol}: CPU headless ${fmt(median(headless.map((d) => d.cores)), 3)}, with the dashboard ` +
      `${fmt(median(shown.map((d) => d.cores)), 3)} of a core; the dashboard's own cost (median of ` +
      `${own.length} pairs, headless scaled to the same deltas/s) +${fmt(ownMedian, 3)} of a core ` +
      `(${range(own, 3)}; plain difference +${fmt(median(plain), 3)}), ${fmt(median(msPerFrame))} ms ` +
      `of CPU per frame written (${range(msPerFrame, 1)})` +
      (protocol === 'classic'
        ? ` (target <= ${CPU_TARGET} under five streams: ${ownMedian <= CPU_TARGET ? 'meets' : 'ABOVE'})`
        : ''),
  );
}

function reportKeys(keys: LoadResult): void {
  const latencies = ascending(keys.keyLatencies);
  const p95 = quantile(latencies, 0.95);
  const meets = p95 < KEY_P95_TARGET_MS && keys.keyMisses === 0;
  const t = rates(keys);
  console.log(
    `  keypress -> first frame showing it (${KEY_PRESSES} presses of 1-5, ${KEY_SPACING_MS} ms apart, ` +
      `${keys.protocol} load, ${fmt(t.fps)} frames/s, max ${t.maxFps} in 1 s): p50 ${fmt(quantile(latencies, 0.5))} ms  ` +
      `p95 ${fmt(p95)} ms  max ${fmt(latencies.at(-1) ?? NaN)} ms (target p95 < ${KEY_P95_TARGET_MS}: ` +
      `${meets ? 'meets' : 'MISSES'})` +
      `${keys.keyMisses > 0 ? `; ${keys.keyMisses} presses not shown before the next` : ''}; ` +
      `event-loop delay p99 ${fmt(keys.loopDelayP99)} ms, max ${fmt(keys.loopDelayMax)} ms`,
  );
}

/** One run's rates over its window. */
function rates(r: LoadResult) {
  const perS = (n: number) => (n * 1000) / r.wallMs;
  return {
    cores: r.cpuMs / r.wallMs,
    deltasPerS: perS(r.deltas),
    roundsPerS: perS(r.rounds),
    fps: perS(r.frames.length),
    maxFps: maxPerSecond(r.frames),
    kbPerFrame: r.frameBytes / Math.max(1, r.frames.length) / 1024,
    updatesPerS: perS(r.storeUpdates),
  };
}
