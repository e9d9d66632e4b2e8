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
}

/** The speeds + and - move between. */
export const SPEED_STEPS: readonly Speed[] = [0.25, 0.5, 1, 2, 4, 8, 16, 'max'];
