// What a user (keypress) or a scenario step asks the core to do. Fed to the core as inputs.
import type { Adversary, FaultKind, Protocol } from './types.js';

export type UserCommand =
  | {
      type: 'inject';
      agent: string;
      kind: FaultKind;
      durationMs?: number;
      /** partition: cut these agents off together (scenario files). */
      group?: string[];
      /** partition: agents that keep a link to both sides (a byzantine one can exploit it). */
      bridge?: string[];
      /** byzantine: the adversary this agent plays, and whether it corrupts every time. */
      adversary?: Adversary;
      scripted?: boolean;
    }
  | { type: 'release'; agent: string }
  | { type: 'recover'; agent: string }
  | { type: 'recover_all' }
  | { type: 'set_protocol'; protocol: Protocol }
  | { type: 'toggle_protocol' };
