// One load run: five agents streaming from the local endpoint for a measured window, headless
// or with the dashboard attached (and, in the keys mode, number keys typed meanwhile), under
// either protocol: classic asks all five agents at once in both phases (five streams nearly all
// the time); the replicated bft asks each replica for its vote when the proposal reaches it over
// the simulated network, so its votes stream one to three at a time.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveLlmConfig } from '../src/agents/config.js';
import { createLlmClient } from '../src/agents/llm-client.js';
import { DEFAULT_AGENTS } from '../src/core/catalogue.js';
import { makeCoreConfig } from '../src/core/config.js';
import { BUILTIN_SCENARIOS, type ScenarioSpec } from '../src/core/scenario.js';
import type { CoreConfig } from '../src/core/state.js';
import type { Protocol } from '../src/core/types.js';
import { LlmCalls } from '../src/runtime/llm-calls.js';
import { createRuntime } from '../src/runtime/run-offline.js';
import type { Runtime } from '../src/runtime/runtime.js';
import { keyLatencies, pressKeys, type Press } from './dashboard-keys.js';
import { mountDashboard } from './dashboard-mount.js';

export const WARMUP_MS = 1500;
export const WINDOW_MS = 5000;

const HEALTHY = BUILTIN_SCENARIOS['healthy'] as ScenarioSpec;

export type LoadMode = 'headless' | 'dashboard' | 'keys';

export interface LoadResult {
  mode: LoadMode;
  protocol: Protocol;
  wallMs: number;
  cpuMs: number;
  deltas: number;
  rounds: number;
  /** With the dashboard: frames written in the window. */
  frames: number[];
  frameBytes: number;
  storeUpdates: number;
  /** With keys: */
  keyLatencies: number[];
  keyMisses: number;
  loopDelayP99: number;
  loopDelayMax: number;
}

export async function loadRun(
  baseUrl: string,
  mode: LoadMode,
  protocol: Protocol,
): Promise<LoadResult> {
  const { runtime, cfg } = streamingRun(baseUrl, protocol);
  let deltas = 0;
  let rounds = 0;
  runtime.onEvent((e) => {
    // Headless, everything else is discarded.
    if (e.type === 'llm_delta') deltas++;
    else if (e.type === 'round_start') rounds++;
  });
  const dashboard =
    mode === 'headless' ? null : await mountDashboard(runtime, cfg, 'bench-model', true);
  if (!dashboard) void runtime.start();

  await sleep(WARMUP_MS);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  if (mode === 'keys') loop.enable();
  const frames0 = dashboard?.screen.frames.length ?? 0;
  const bytes0 = dashboard?.screen.frameBytes ?? 0;
  const updates0 = dashboard?.storeUpdates() ?? 0;
  const deltas0 = deltas;
  const rounds0 = rounds;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();

  let presses: Press[] = [];
  if (mode === 'keys' && dashboard) presses = await pressKeys(dashboard.keyboard);
  else await sleep(WINDOW_MS);

  const cpu = process.cpuUsage(cpu0);
  const t1 = performance.now();
  loop.disable();
  const windowFrames = dashboard?.screen.frames.slice(frames0).filter((f) => f.t <= t1) ?? [];
  const result: LoadResult = {
    mode,
    protocol,
    wallMs: t1 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    deltas: deltas - deltas0,
    rounds: rounds - rounds0,
    frames: windowFrames.map((f) => f.t),
    frameBytes: dashboard ? dashboard.screen.frameBytes - bytes0 : 0,
    storeUpdates: dashboard ? dashboard.storeUpdates() - updates0 : 0,
    keyLatencies: [],
    keyMisses: 0,
    loopDelayP99: loop.percentile(99) / 1e6,
    loopDelayMax: loop.max / 1e6,
  };

  if (dashboard) await dashboard.close();
  else runtime.stop();
  await runtime.done;

  if (dashboard) {
    const keys = keyLatencies(presses, dashboard.screen.frames);
    result.keyLatencies = keys.latencies;
    result.keyMisses = keys.misses;
  }
  return result;
}

function streamingRun(baseUrl: string, protocol: Protocol): { runtime: Runtime; cfg: CoreConfig } {
  const llm = resolveLlmConfig({
    flags: { baseUrl, model: 'bench-model' },
    env: {},
    configFile: null,
  });
  // The healthy scenario, then free play: rounds back to back until the window is over.
  const cfg = makeCoreConfig({
    seed: 1,
    scenario: HEALTHY,
    protocol,
    freePlay: true,
    maxRounds: 100_000,
  });
  // --speed max: no simulated gaps between phases (LLM calls stream at every speed), so the five
  // streams run nearly all the time.
  const runtime = createRuntime(cfg, {
    calls: new LlmCalls(createLlmClient(llm), DEFAULT_AGENTS.length),
    speed: 'max',
  });
  return { runtime, cfg };
}
