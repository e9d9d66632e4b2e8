// Shared test helpers for the core and runtime suites: a hand-driven wall clock, a runtime built
// on it, and small builders for configs, scenarios and event filters.
import type { UserCommand } from '../../src/core/commands.js';
import { makeCoreConfig } from '../../src/core/config.js';
import { Engine } from '../../src/core/engine.js';
import type { EventType, HybridEvent, RunStartEvent } from '../../src/core/events.js';
import {
  BUILTIN_SCENARIOS,
  type ScenarioSpec,
  type ScenarioStep,
} from '../../src/core/scenario.js';
import type { CoreConfig } from '../../src/core/state.js';
import type { Protocol } from '../../src/core/types.js';
import type { CallHost, CallRunner } from '../../src/runtime/calls.js';
import type { Speed } from '../../src/runtime/control.js';
import { OfflineCalls } from '../../src/runtime/offline-calls.js';
import { createRuntime, runOffline } from '../../src/runtime/run-offline.js';
import { Runtime, type RuntimeOptions } from '../../src/runtime/runtime.js';
import type { WallClock } from '../../src/runtime/wall-clock.js';

export type EventOf<T extends EventType> = Extract<HybridEvent, { type: T }>;

export function ofType<T extends EventType>(events: readonly HybridEvent[], type: T): EventOf<T>[] {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

export function scenario(
  name: string,
  steps: ScenarioStep[],
  extra: Partial<ScenarioSpec> = {},
): ScenarioSpec {
  return { name, description: `test scenario ${name}`, steps, ...extra };
}

/**
 * Runs a config to the end and returns every event, in order. It drives the runtime on a fake
 * wall clock at speed 1 (synchronous, no real time passes) rather than at --speed max: see
 * test/runtime/speed-max.test.ts for why --speed max is not used for core behaviour.
 */
export function collect(cfg: CoreConfig): HybridEvent[] {
  return runWithCommands(cfg);
}

/** Runs a config to the end at --speed max (the headless path) and returns every event. */
export async function collectMax(cfg: CoreConfig): Promise<HybridEvent[]> {
  const events: HybridEvent[] = [];
  await runOffline(cfg, (e) => events.push(e));
  return events;
}

/** A built-in scenario's first `rounds` rounds at --speed max, every event. */
export function builtinRun(
  name: keyof typeof BUILTIN_SCENARIOS,
  protocol: Protocol,
  seed: number,
  rounds: number,
): Promise<HybridEvent[]> {
  return collectMax(
    makeCoreConfig({ seed, scenario: BUILTIN_SCENARIOS[name], protocol, maxRounds: rounds }),
  );
}

export function config(overrides: Partial<CoreConfig> = {}): CoreConfig {
  return makeCoreConfig(overrides);
}

/**
 * A wall clock the test moves by hand. Timers fire only inside `advanceTo`/`advance`, in order of
 * due time (then creation order), with the clock set to each timer's due time as it fires.
 */
export class FakeClock implements WallClock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now = (): number => this.t;

  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };

  get pending(): number {
    return this.timers.size;
  }

  /** Due time of the earliest timer, if any. */
  nextAt(): number | undefined {
    return this.earliest()?.[1].at;
  }

  advanceTo(target: number): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const next = this.earliest();
      if (!next || next[1].at > target) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = Math.max(this.t, target);
  }

  advance(ms: number): void {
    this.advanceTo(this.t + ms);
  }

  /** Fires the earliest timer (moving the clock to it); false when none is set. */
  fireNext(): boolean {
    const next = this.earliest();
    if (!next) return false;
    this.advanceTo(next[1].at);
    return true;
  }

  private earliest(): [number, { at: number; fn: () => void }] | undefined {
    let best: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of this.timers) {
      if (!best || entry[1].at < best[1].at) best = entry;
    }
    return best;
  }
}

/** Offline answers without the streamed deltas (what --speed max does), to keep long runs cheap. */
export class QuietOfflineCalls implements CallRunner {
  readonly mode = 'offline' as const;
  readonly model = null;
  private readonly inner: OfflineCalls;
  /** `cfg`: the run's --offline-noise and seed, as createRuntime passes them. */
  constructor(cfg?: Pick<CoreConfig, 'offlineNoise' | 'seed'>) {
    this.inner = new OfflineCalls(cfg ? { p: cfg.offlineNoise, seed: cfg.seed } : undefined);
  }
  start(ask: Parameters<CallRunner['start']>[0], host: CallHost): void {
    this.inner.start(ask, { ...host, streaming: () => false });
  }
  cancel(callIds: readonly string[]): void {
    this.inner.cancel(callIds);
  }
  cancelAll(): void {
    this.inner.cancelAll();
  }
  inFlight(): number {
    return 0;
  }
}

/**
 * The run_start payload createRuntime would use for this config, taken from a throwaway runtime
 * (started paused, stopped at once) so these helpers follow any change to its shape.
 */
function runStartOf(cfg: CoreConfig, calls: CallRunner): RuntimeOptions['runStart'] {
  const probe = createRuntime(cfg, { speed: 1, startPaused: true, calls: new QuietOfflineCalls() });
  let first: RunStartEvent | undefined;
  probe.onEvent((e) => {
    if (e.type === 'run_start' && !first) first = e;
  });
  void probe.start();
  probe.stop();
  if (!first) throw new Error('createRuntime emitted no run_start');
  const { type: _type, t: _t, ...rest } = first;
  return { ...rest, mode: calls.mode, model: calls.model };
}

/** Like createRuntime, but on a given wall clock (createRuntime always uses the system clock). */
export function makeRuntime(
  cfg: CoreConfig,
  opts: { clock?: WallClock; speed?: Speed; startPaused?: boolean; calls?: CallRunner } = {},
): { runtime: Runtime; engine: Engine } {
  const engine = new Engine(cfg);
  const calls = opts.calls ?? new OfflineCalls({ p: cfg.offlineNoise, seed: cfg.seed });
  const runtime = new Runtime({
    engine,
    calls,
    speed: opts.speed ?? 1,
    startPaused: opts.startPaused,
    clock: opts.clock,
    runStart: runStartOf(cfg, calls),
  });
  return { runtime, engine };
}

export interface TimedCommand {
  /** Simulated time (ms) at which the user issues the command. */
  at: number;
  command: UserCommand;
}

/**
 * Runs a whole scenario synchronously on a fake clock at a numeric speed, issuing user commands
 * through `runtime.command` at the given simulated times. Returns every event.
 */
export function runWithCommands(
  cfg: CoreConfig,
  commands: readonly TimedCommand[] = [],
  opts: { speed?: number; quiet?: boolean } = {},
): HybridEvent[] {
  const speed = opts.speed ?? 1;
  const clock = new FakeClock();
  const { runtime } = makeRuntime(cfg, {
    clock,
    speed,
    calls:
      opts.quiet === false
        ? new OfflineCalls({ p: cfg.offlineNoise, seed: cfg.seed })
        : new QuietOfflineCalls(cfg),
  });
  const events: HybridEvent[] = [];
  runtime.onEvent((e) => events.push(e));
  void runtime.start();
  const queue = [...commands].sort((a, b) => a.at - b.at);
  let i = 0;
  for (let guard = 0; guard < 1_000_000 && !runtime.status().stopped; guard++) {
    const timer = clock.nextAt();
    const cmd = queue[i];
    if (cmd && (timer === undefined || cmd.at / speed <= timer)) {
      clock.advanceTo(cmd.at / speed);
      runtime.command(cmd.command);
      i++;
      continue;
    }
    if (timer === undefined) break; // nothing due and not stopped: the caller sees no summary
    clock.advanceTo(timer);
  }
  return events;
}
