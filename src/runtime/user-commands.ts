// The user's commands as the event log holds them: the core answers each with an event marked
// `by: 'user'`. A recording's replay and a rewind both re-issue them from there.
import type { UserCommand } from '../core/commands.js';
import type { HybridEvent } from '../core/events.js';

export interface TimedCommand {
  at: number;
  command: UserCommand;
}

/** The user's command behind an event the core emitted for it, or null. */
export function commandOf(event: HybridEvent): TimedCommand | null {
  if (!('by' in event) || event.by !== 'user') return null;
  switch (event.type) {
    case 'fault':
      return {
        at: event.t,
        command: {
          type: 'inject',
          agent: event.agent,
          kind: event.kind,
          durationMs: event.duration_ms,
        },
      };
    case 'recovered':
      return { at: event.t, command: { type: 'recover', agent: event.agent } };
    case 'release':
      return { at: event.t, command: { type: 'release', agent: event.agent } };
    case 'protocol':
      return { at: event.t, command: { type: 'set_protocol', protocol: event.protocol } };
    default:
      return null;
  }
}
