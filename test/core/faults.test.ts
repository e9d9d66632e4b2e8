import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import type { HybridEvent } from '../../src/core/events.js';
import type { Effect, Input } from '../../src/core/io.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import type { CoreConfig } from '../../src/core/state.js';
import { collect, config, ofType, runWithCommands, scenario } from './helpers.js';

/** An engine driven by hand: every input's events and effects are kept for inspection. */
class Harness {
  readonly engine: Engine;
  readonly events: HybridEvent[] = [];
  readonly effects: Effect[] = [];
  constructor(cfg: CoreConfig) {
    this.engine = new Engine(cfg);
  }
  feed(input: Input): { events: HybridEvent[]; effects: Effect[] } {
    const out = this.engine.handle(input);
    this.events.push(...out.events);
    this.effects.push(...out.effects);
    return out;
  }
  timerFor(agent: string): Extract<Effect, { type: 'timer' }> | undefined {
    return this.effects
      .filter((e): e is Extract<Effect, { type: 'timer' }> => e.type === 'timer')
      .filter((e) => e.id.startsWith(`recover:${agent}:`))
      .at(-1);
  }
}

// A script that waits a long time for recovery, so the engine sits idle while commands arrive.
const idle = (overrides: Partial<CoreConfig> = {}) =>
  config({
    scenario: scenario('idle', [
      { type: 'inject', agent: 'epsilon', fault: 'slow', durationMs: 1_000_000 },
      { type: 'wait_recovery', maxMs: 2_000_000 },
    ]),
    ...overrides,
  });

describe('fault recovery is driven by timers', () => {
  it('an injected fault sets a timer at recover_at and recovers exactly then, by timer', () => {
    const h = new Harness(idle());
    h.feed({ type: 'start', now: 0 });
    const { events, effects } = h.feed({
      type: 'command',
      command: { type: 'inject', agent: 'beta', kind: 'crash', durationMs: 5000 },
      now: 1234,
    });
    expect(events).toEqual([
      {
        type: 'fault',
        agent: 'beta',
        kind: 'crash',
        duration_ms: 5000,
        recover_at: 6234,
        by: 'user',
        t: 1234,
      },
    ]);
    const timer = effects.find((e) => e.type === 'timer');
    expect(timer).toMatchObject({ type: 'timer', at: 6234 });
    expect(h.engine.view().agents.find((a) => a.spec.id === 'beta')?.fault).toBe('crash');
    const fired = h.feed({ type: 'timer', id: (timer as { id: string }).id, now: 6234 });
    expect(fired.events).toEqual([
      { type: 'recovered', agent: 'beta', kind: 'crash', by: 'timer', t: 6234 },
    ]);
    expect(h.engine.view().agents.find((a) => a.spec.id === 'beta')?.fault).toBeNull();
  });

  it('a duration left open is drawn from faultDurationMs', () => {
    const h = new Harness(idle({ faultDurationMs: [2000, 2500] }));
    h.feed({ type: 'start', now: 0 });
    for (const agent of ['alpha', 'beta', 'gamma', 'delta']) {
      const { events } = h.feed({
        type: 'command',
        command: { type: 'inject', agent, kind: 'byzantine' },
        now: 10,
      });
      const f = ofType(events, 'fault')[0];
      expect(f?.duration_ms).toBeGreaterThanOrEqual(2000);
      expect(f?.duration_ms).toBeLessThanOrEqual(2500);
      expect(f?.recover_at).toBe(10 + (f?.duration_ms ?? NaN));
    }
  });

  it('a superseded timer is harmless: re-injecting restarts the countdown', () => {
    const h = new Harness(idle());
    h.feed({ type: 'start', now: 0 });
    h.feed({
      type: 'command',
      command: { type: 'inject', agent: 'beta', kind: 'crash', durationMs: 1000 },
      now: 0,
    });
    const first = h.timerFor('beta');
    h.feed({
      type: 'command',
      command: { type: 'inject', agent: 'beta', kind: 'slow', durationMs: 9000 },
      now: 500,
    });
    const second = h.timerFor('beta');
    expect(second?.id).not.toBe(first?.id);
    expect(h.feed({ type: 'timer', id: first?.id ?? '', now: 1000 }).events).toEqual([]);
    expect(h.engine.view().agents.find((a) => a.spec.id === 'beta')?.fault).toBe('slow');
    expect(h.feed({ type: 'timer', id: second?.id ?? '', now: 9500 }).events).toEqual([
      { type: 'recovered', agent: 'beta', kind: 'slow', by: 'timer', t: 9500 },
    ]);
  });

  it('in a full run every timed fault recovers at exactly its recover_at, by timer', () => {
    const events = collect(config({ scenario: BUILTIN_SCENARIOS['tour'] }));
    const faults = ofType(events, 'fault');
    // The tour strikes twice (classic, then the same attack under bft): the second injection
    // replaces the first, whose timer must then do nothing. Its equivocators are healed by script.
    expect(faults.map((f) => [f.agent, f.kind])).toEqual([
      ['beta', 'byzantine'],
      ['delta', 'crash'],
      ['beta', 'byzantine'],
      ['delta', 'crash'],
      ['alpha', 'byzantine'],
      ['beta', 'partition'],
      ['gamma', 'partition'],
    ]);
    const recovered = ofType(events, 'recovered').filter((r) => r.by === 'timer');
    expect(recovered).toHaveLength(2);
    for (const f of faults.slice(2, 4)) {
      const r = recovered.find((x) => x.agent === f.agent);
      expect(r).toMatchObject({ kind: f.kind, by: 'timer', t: f.recover_at });
    }
  });

  it('recovery happens on time even while no agent is asked anything (not lazily)', () => {
    // The recovery wait starts with no round in flight; the timers alone end it.
    const events = collect(
      config({
        scenario: scenario('lazy', [
          { type: 'inject', agent: 'beta', fault: 'crash', durationMs: 7000 },
          { type: 'wait_recovery', maxMs: 60_000 },
        ]),
      }),
    );
    expect(ofType(events, 'recovered')).toMatchObject([{ agent: 'beta', by: 'timer', t: 7000 }]);
    expect(ofType(events, 'wait').map((w) => [w.outcome, w.waited_ms])).toEqual([
      ['started', 0],
      ['done', 7000],
    ]);
    expect(ofType(events, 'round_start')).toEqual([]);
  });

  it('a recovery wait that runs out emits a timeout and the script goes on', () => {
    const events = collect(
      config({
        scenario: scenario('timeout', [
          { type: 'inject', agent: 'beta', fault: 'crash', durationMs: 90_000 },
          { type: 'wait_recovery', maxMs: 30_000 },
          { type: 'rounds', count: 1, job: 'ai-training' },
        ]),
      }),
    );
    const waits = ofType(events, 'wait');
    expect(waits.map((w) => w.outcome)).toEqual(['started', 'timeout']);
    expect(waits[1]).toMatchObject({ waited_ms: 30_000, t: 30_000 });
    expect(ofType(events, 'round_start')[0]?.t).toBe(30_000);
  });
});

describe('user commands', () => {
  it('recover heals one agent at once, by user; its old timer then does nothing', () => {
    const h = new Harness(idle());
    h.feed({ type: 'start', now: 0 });
    h.feed({
      type: 'command',
      command: { type: 'inject', agent: 'gamma', kind: 'byzantine', durationMs: 20_000 },
      now: 100,
    });
    const timer = h.timerFor('gamma');
    const out = h.feed({ type: 'command', command: { type: 'recover', agent: 'gamma' }, now: 300 });
    expect(out.events).toEqual([
      { type: 'recovered', agent: 'gamma', kind: 'byzantine', by: 'user', t: 300 },
    ]);
    expect(h.feed({ type: 'timer', id: timer?.id ?? '', now: 20_100 }).events).toEqual([]);
    // Recovering a healthy agent or an unknown one is a no-op.
    expect(
      h.feed({ type: 'command', command: { type: 'recover', agent: 'gamma' }, now: 400 }).events,
    ).toEqual([]);
    expect(
      h.feed({ type: 'command', command: { type: 'recover', agent: 'nobody' }, now: 400 }).events,
    ).toEqual([]);
    expect(
      h.feed({
        type: 'command',
        command: { type: 'inject', agent: 'nobody', kind: 'crash' },
        now: 400,
      }).events,
    ).toEqual([]);
  });

  it('recover_all heals every faulty agent (and only those) and ends a recovery wait', () => {
    const h = new Harness(idle());
    h.feed({ type: 'start', now: 0 });
    h.feed({
      type: 'command',
      command: { type: 'inject', agent: 'alpha', kind: 'crash', durationMs: 50_000 },
      now: 10,
    });
    h.feed({
      type: 'command',
      command: { type: 'inject', agent: 'beta', kind: 'byzantine', durationMs: 50_000 },
      now: 10,
    });
    const out = h.feed({ type: 'command', command: { type: 'recover_all' }, now: 500 });
    const recovered = ofType(out.events, 'recovered');
    expect(recovered.map((r) => [r.agent, r.kind, r.by])).toEqual([
      ['alpha', 'crash', 'user'],
      ['beta', 'byzantine', 'user'],
      ['epsilon', 'slow', 'user'],
    ]);
    expect(h.engine.view().agents.every((a) => a.fault === null)).toBe(true);
    // The script's wait_recovery was the last step: the run ends.
    expect(ofType(out.events, 'wait')).toMatchObject([{ outcome: 'done', waited_ms: 500 }]);
    expect(h.engine.isFinished()).toBe(true);
  });

  it('toggle_protocol flips the protocol; a round in flight keeps the one it started with', () => {
    const cfg = config({
      protocol: 'classic',
      scenario: scenario('toggle', [{ type: 'rounds', count: 3, job: 'ai-training' }]),
    });
    // Toggle during round 1 (t=100) and again during round 2 (its start is > 8 s).
    const events = runWithCommands(cfg, [
      { at: 100, command: { type: 'toggle_protocol' } },
      { at: 12_000, command: { type: 'toggle_protocol' } },
    ]);
    expect(ofType(events, 'protocol').map((p) => [p.protocol, p.by, p.t])).toEqual([
      ['bft', 'user', 100],
      ['classic', 'user', 12_000],
    ]);
    const rounds = ofType(events, 'round_start');
    const decisions = ofType(events, 'decision');
    expect(rounds.map((r) => r.protocol)).toEqual(['classic', 'bft', 'classic']);
    expect(decisions.map((d) => d.protocol)).toEqual(['classic', 'bft', 'classic']);
    expect(rounds[1]?.t).toBeLessThan(12_000);
  });

  it('set_protocol to the current protocol emits nothing', () => {
    const h = new Harness(idle({ protocol: 'bft' }));
    h.feed({ type: 'start', now: 0 });
    expect(
      h.feed({ type: 'command', command: { type: 'set_protocol', protocol: 'bft' }, now: 1 })
        .events,
    ).toEqual([]);
    expect(
      ofType(
        h.feed({ type: 'command', command: { type: 'set_protocol', protocol: 'classic' }, now: 2 })
          .events,
        'protocol',
      ),
    ).toHaveLength(1);
  });

  it('a crash injected mid-phase stops the phase from waiting for that agent', () => {
    const cfg = config({
      protocol: 'bft',
      scenario: scenario('mid', [{ type: 'rounds', count: 1, job: 'ai-training' }]),
    });
    // At t=100 nobody has answered yet (thinking takes 400..1600 ms).
    const events = runWithCommands(cfg, [
      { at: 100, command: { type: 'inject', agent: 'alpha', kind: 'crash', durationMs: 60_000 } },
    ]);
    const alpha = ofType(events, 'proposal').find((p) => p.agent === 'alpha');
    expect(alpha).toMatchObject({ status: 'late', reason: 'crashed while answering' });
    const d = ofType(events, 'decision')[0];
    // It did not sit out the 120 s phase deadline (alpha, crashed, was also the first proposer:
    // a round of timeouts); 4.2 of 5.5 accept still passes 2/3.
    expect(d?.t).toBeLessThan(20_000);
    expect(d).toMatchObject({ outcome: 'committed', accept_weight: 4.2, absent_weight: 1.3 });
  });

  it('a slow agent answers too late: its proposal is an omission, and bft commits without it', () => {
    const events = collect(
      config({
        protocol: 'bft',
        scenario: scenario('slow', [
          { type: 'inject', agent: 'epsilon', fault: 'slow', durationMs: 600_000 },
          { type: 'rounds', count: 3, job: 'ai-training' },
        ]),
      }),
    );
    // Each late proposal is reported when it arrives; the last may still be in flight at the end.
    const eps = ofType(events, 'proposal').filter((e) => e.agent === 'epsilon');
    expect(eps.length).toBeGreaterThanOrEqual(2);
    for (const e of eps) expect(e.status).toBe('late');
    for (const d of ofType(events, 'decision'))
      expect(d).toMatchObject({ outcome: 'committed', failed_operations: 1, faulty_weight: 0.9 });
    // Slow is not evidence: epsilon is never jailed.
    expect(ofType(events, 'jail')).toEqual([]);
  });
});
