// --speed max must be the same simulation as real time, only without the waiting: the clock
// jumps to the next due item. These tests compare it against a fake-clock run at speed 1.
//
// Regression tests for a bug found while writing them (fixed in src/runtime/runtime.ts by running
// `input()` with re-entrant pumps refused): `start()` and `command()` fed the engine outside the
// loop, so the call runner's first `host.at()` pumped the queue before the other effects of the
// same input were performed. At --speed max that drained everything due (agent 1's answer, the
// fault-recovery timers) before agents 2..n were even asked: the first round ran its calls one
// after another, and faults injected before round 1 (`attack`, `recovery`, `overload`) had healed
// before most agents answered.
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import { DEFAULT_TIMING } from '../../src/core/state.js';
import { collect, collectMax, config, ofType } from '../core/helpers.js';

const builtin = (name: string) => {
  const s = BUILTIN_SCENARIOS[name];
  if (!s) throw new Error(name);
  return s;
};

describe('--speed max is the same simulation as real time', () => {
  it('the tour: identical event logs at --speed max and at speed 1 (fake clock)', async () => {
    const cfg = config({ seed: 1, scenario: builtin('tour') });
    expect(JSON.stringify(await collectMax(cfg))).toBe(JSON.stringify(collect(cfg)));
  });

  it('first-round calls run in parallel: every proposal within the think time', async () => {
    const events = await collectMax(config({ seed: 1, scenario: builtin('healthy') }));
    const start = ofType(events, 'round_start')[0]?.t ?? 0;
    for (const p of ofType(events, 'proposal').filter((x) => x.round === 1))
      expect(p.t - start).toBeLessThanOrEqual(DEFAULT_TIMING.thinkMaxMs);
  });

  it('attack: faults injected before round 1 are still active during it', async () => {
    const events = await collectMax(config({ seed: 1, scenario: builtin('attack') }));
    const firstDecision = ofType(events, 'decision')[0];
    const early = ofType(events, 'recovered').filter((r) => r.t < (firstDecision?.t ?? 0));
    expect(early).toEqual([]);
  });

  it('rounds that start inside the loop are unaffected (later tour rounds agree)', async () => {
    const cfg = config({ seed: 1, scenario: builtin('tour') });
    const shape = (events: Awaited<ReturnType<typeof collectMax>>) =>
      ofType(events, 'decision')
        .filter((d) => d.round >= 2)
        .map((d) => [d.round, d.outcome, d.node_id, d.accept_weight]);
    expect(shape(await collectMax(cfg))).toEqual(shape(collect(cfg)));
  });
});
