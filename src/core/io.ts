// What goes into the core and what comes out of it. The runtime performs effects and feeds the
// results back as inputs; the core itself never waits, reads a clock or draws ambient randomness.
import type { UserCommand } from './commands.js';
import type { HybridEvent } from './events.js';
import type { AgentRequest, CallPhase, ParsedAnswer } from './types.js';

export type Input = (
  | { type: 'start'; now: number }
  | { type: 'timer'; id: string; now: number }
  | { type: 'answer'; callId: string; answer: ParsedAnswer; now: number }
  | { type: 'command'; command: UserCommand; now: number }
) & {
  /**
   * The time of the runtime's next item, when it jumps from item to item (--speed max). Until
   * then nothing from outside can reach the core, so it may run its own timers (a bft height's
   * deliveries and timeouts) up to just before it without a round trip per timer, as long as
   * it asks for nothing on the way (see Ctx.runAheadTo). Absent: only what is due at `now`.
   */
  horizon?: number;
};

export interface AskEffect {
  type: 'ask';
  callId: string;
  agent: string;
  round: number;
  phase: CallPhase;
  attempt: number;
  request: AgentRequest;
  /** Simulated thinking time for offline answers (drawn from the seed). */
  thinkMs: number;
}

export type Effect =
  | AskEffect
  | { type: 'timer'; id: string; at: number }
  | { type: 'cancel'; callIds: string[] }
  | { type: 'finished' };

export interface Output {
  events: HybridEvent[];
  effects: Effect[];
  /** The core's clock after the input: later than its `now` when it ran ahead to a horizon. */
  now: number;
}
