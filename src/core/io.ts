// What goes into the core and what comes out of it. The runtime performs effects and feeds the
// results back as inputs; the core itself never waits, reads a clock or draws ambient randomness.
import type { UserCommand } from './commands.js';
import type { HybridEvent } from './events.js';
import type { AgentRequest, CallPhase, ParsedAnswer } from './types.js';

export type Input =
  | { type: 'start'; now: number }
  | { type: 'timer'; id: string; now: number }
  | { type: 'answer'; callId: string; answer: ParsedAnswer; now: number }
  | { type: 'command'; command: UserCommand; now: number };

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
}
