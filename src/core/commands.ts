// What a user (keypress) or a scenario step asks the core to do. Fed to the core as inputs.
import type { FaultKind, Protocol } from './types.js';

export type UserCommand =
  | { type: 'inject'; agent: string; kind: FaultKind; durationMs?: number }
  | { type: 'recover'; agent: string }
  | { type: 'recover_all' }
  | { type: 'set_protocol'; protocol: Protocol }
  | { type: 'toggle_protocol' };
