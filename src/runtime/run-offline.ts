// The shortest path from a core config to a finished offline run at --speed max: what the
// headless CLI, the tests and the benchmarks share.
import { Engine } from '../core/engine.js';
import { networkToWire, type HybridEvent, type SummaryEvent } from '../core/events.js';
import type { CoreConfig } from '../core/state.js';
import { nodeToWire } from '../core/wire.js';
import type { CallRunner } from './calls.js';
import type { Speed } from './control.js';
import { OfflineCalls } from './offline-calls.js';
import { RECORDING_VERSION } from './recording-schema.js';
import { Runtime } from './runtime.js';
import type { WallClock } from './wall-clock.js';

export function createRuntime(
  cfg: CoreConfig,
  opts: {
    calls?: CallRunner;
    speed?: Speed;
    startPaused?: boolean;
    clock?: WallClock;
    runAhead?: boolean;
  } = {},
): Runtime {
  const engine = new Engine(cfg);
  const calls = opts.calls ?? new OfflineCalls({ p: cfg.offlineNoise, seed: cfg.seed });
  return new Runtime({
    engine,
    calls,
    speed: opts.speed ?? 'max',
    startPaused: opts.startPaused,
    runAhead: opts.runAhead,
    ...(opts.clock ? { clock: opts.clock } : {}),
    runStart: {
      recording_version: RECORDING_VERSION,
      seed: cfg.seed,
      scenario: cfg.scenario.name,
      protocol: cfg.protocol,
      mode: calls.mode,
      model: calls.model,
      agents: cfg.agents.map((a) => ({
        id: a.id,
        name: a.name,
        specialty: a.specialty,
        weight: a.weight,
        ...(calls.describe?.(a.id) ?? { model: calls.model, endpoint: null }),
      })),
      nodes: cfg.nodes.map(nodeToWire),
      total_weight: Math.round(engine.totalWeight * 100) / 100,
      config: {
        byzantine_rate: cfg.byzantineRate,
        fault_duration_ms: cfg.faultDurationMs,
        max_rounds: cfg.maxRounds,
        free_play: cfg.freePlay,
        scenario: cfg.scenario,
        jobs: cfg.jobs,
        timing: cfg.timing,
        adversary: cfg.adversary,
        quorum: cfg.quorum,
        offline_noise: cfg.offlineNoise,
        network: networkToWire(cfg.network),
        jail_heights: cfg.jailHeights,
      },
    },
  });
}

/** Runs to the end and returns every event (tests) or just the summary (benchmarks, with collect off). */
export async function runOffline(
  cfg: CoreConfig,
  onEvent?: (e: HybridEvent) => void,
  calls?: CallRunner,
): Promise<SummaryEvent> {
  const runtime = createRuntime(cfg, calls ? { calls } : {});
  if (onEvent) runtime.onEvent(onEvent);
  return runtime.start();
}
