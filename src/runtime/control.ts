// The face the runtime shows to the dashboard: intents go in, events and status come out.
import type { UserCommand } from '../core/commands.js';
import type { HybridEvent } from '../core/events.js';

export type Speed = number | 'max';

export interface RunStatus {
  paused: boolean;
  speed: Speed;
  /** The scenario has ended (the dashboard then continues in free play; headless stops). */
  scenarioDone: boolean;
  /** The run has stopped for good. */
  stopped: boolean;
}

export type EventListener = (event: HybridEvent) => void;

export interface RuntimeControl {
  /** Subscribe to every event, in order. Returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  /** Subscribe to pause/speed/stop changes. */
  onStatus(listener: (status: RunStatus) => void): () => void;
  /** Simulated time now, in ms. Frozen while paused. */
  now(): number;
  status(): RunStatus;
  pause(): void;
  resume(): void;
  togglePause(): void;
  /** While paused: advance exactly one phase, then pause again. */
  step(): void;
  setSpeed(speed: Speed): void;
  command(command: UserCommand): void;
  /** Stop the run and cancel calls in flight. */
  stop(): void;
  /**
   * Re-runs the deterministic core from the start to the start of `round`, then runs on.
   * Returns why it cannot (a one-line reason), or null once the rewind has begun.
   */
  rewind?(round: number): string | null;
  /** Called when a rewind starts: everything shown so far belongs to a run that is gone. */
  onReset?(listener: () => void): () => void;
  /** True while a rewind re-runs the core up to its round (auto-pause holds off meanwhile). */
  rewinding?(): boolean;
}

/** The speeds + and - move between. */
export const SPEED_STEPS: readonly Speed[] = [0.25, 0.5, 1, 2, 4, 8, 16, 'max'];
