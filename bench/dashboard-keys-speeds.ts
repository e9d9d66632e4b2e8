// Keypress to frame at every speed: an offline tour with the dashboard attached, run at each
// speed step from x1 to max, number keys typed meanwhile; each press is matched to the first frame
// that shows the agent it selects (bench/dashboard-keys.ts). The speed changes how much the core
// does between frames (at max it runs flat out in 8 ms slices), so latency is measured at each.
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS, type ScenarioSpec } from '../src/core/scenario.js';
import type { Speed } from '../src/runtime/control.js';
import { createRuntime } from '../src/runtime/run-offline.js';
import { keyLatencies, pressKeys } from './dashboard-keys.js';
import { loadDashboard, mountDashboard } from './dashboard-mount.js';
import { fmt, quantile } from './dashboard-stats.js';

const SPEEDS: readonly Speed[] = [1, 4, 16, 'max'];
const TARGET_P95_MS = 50;
const CHAOS = BUILTIN_SCENARIOS['chaos'] as ScenarioSpec;

export async function main(): Promise<void> {
  await loadDashboard();
  console.log(
    `\n== keypress -> frame at every speed: offline chaos + free play, dashboard attached, ` +
      `45 presses 100 ms apart at each speed ==`,
  );
  for (const speed of SPEEDS) {
    const cfg = makeCoreConfig({
      seed: 4,
      scenario: CHAOS,
      protocol: 'bft',
      freePlay: true,
      maxRounds: 10_000_000,
    });
    const runtime = createRuntime(cfg, { speed });
    const dashboard = await mountDashboard(runtime, cfg, 'offline', true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const presses = await pressKeys(dashboard.keyboard);
    await dashboard.close();
    const { latencies, misses } = keyLatencies(presses, dashboard.screen.frames);
    const sorted = [...latencies].sort((a, b) => a - b);
    const p95 = quantile(sorted, 0.95);
    console.log(
      `  ${String(speed === 'max' ? 'max' : `x${speed}`).padEnd(4)} p50 ${fmt(quantile(sorted, 0.5))} ms  ` +
        `p95 ${fmt(p95)} ms  max ${fmt(sorted.at(-1) ?? NaN)} ms  (${misses} presses never shown) ` +
        `target p95 < ${TARGET_P95_MS}: ${p95 < TARGET_P95_MS && misses === 0 ? 'meets' : 'ABOVE'}`,
    );
  }
}
