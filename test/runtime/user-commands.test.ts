// The user's commands read back from the event log, for a replay and for a rewind alike.
import { describe, expect, it } from 'vitest';
import type { HybridEvent } from '../../src/core/events.js';
import { commandOf } from '../../src/runtime/user-commands.js';

const ev = (e: Record<string, unknown>) => ({ t: 1200, ...e }) as unknown as HybridEvent;

describe('commandOf', () => {
  it("gives back each command a user can issue, at the time of the core's answer", () => {
    expect(
      commandOf(ev({ type: 'fault', agent: 'beta', kind: 'crash', duration_ms: 5000, by: 'user' })),
    ).toEqual({
      at: 1200,
      command: { type: 'inject', agent: 'beta', kind: 'crash', durationMs: 5000 },
    });
    expect(commandOf(ev({ type: 'recovered', agent: 'beta', by: 'user' }))).toEqual({
      at: 1200,
      command: { type: 'recover', agent: 'beta' },
    });
    expect(commandOf(ev({ type: 'release', agent: 'gamma', by: 'user' }))).toEqual({
      at: 1200,
      command: { type: 'release', agent: 'gamma' },
    });
    expect(commandOf(ev({ type: 'protocol', protocol: 'bft', by: 'user' }))).toEqual({
      at: 1200,
      command: { type: 'set_protocol', protocol: 'bft' },
    });
  });

  it('ignores what the scenario or the clock did, and events that answer no command', () => {
    expect(commandOf(ev({ type: 'release', agent: 'gamma', by: 'timer' }))).toBeNull();
    expect(
      commandOf(
        ev({ type: 'fault', agent: 'beta', kind: 'crash', duration_ms: 1, by: 'scenario' }),
      ),
    ).toBeNull();
    expect(commandOf(ev({ type: 'phase', round: 1, phase: 'vote', attempt: 0 }))).toBeNull();
  });
});
