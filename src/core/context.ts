// What the engine's parts share while handling one input: the config, the state, and the
// buffers that collect the events and effects of that input.
import type { HybridEvent, WithoutTime } from './events.js';
import type { Effect } from './io.js';
import type { CoreConfig, CoreState } from './state.js';

export interface Ctx {
  readonly cfg: CoreConfig;
  readonly s: CoreState;
  readonly totalWeight: number;
  emit(event: WithoutTime<HybridEvent>): void;
  effect(effect: Effect): void;
  /** Schedules a timer `delayMs` from now and returns its id. */
  schedule(kind: string, delayMs: number): string;
  /**
   * Moves the clock on to `at`, for work of the core's own that is due then, if the input's
   * horizon allows it: `at` before the runtime's next item, and no effect out yet in this input
   * (the runtime performs effects at the time the input ends, so one asked for earlier would
   * start late). False: leave it to a timer.
   */
  runAheadTo(at: number): boolean;
}
