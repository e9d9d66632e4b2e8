// The runtime on a hand-driven wall clock: pause, step and speed, with no real time passing.
import { describe, expect, it } from 'vitest';
import type { HybridEvent } from '../../src/core/events.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import { createRuntime } from '../../src/runtime/run-offline.js';
import { FakeClock, config, makeRuntime, ofType, scenario } from '../core/helpers.js';

const tour = () => config({ seed: 1, scenario: BUILTIN_SCENARIOS['tour'] });

function started(
  speed: number,
  opts: { startPaused?: boolean; cfg?: ReturnType<typeof tour> } = {},
) {
  const clock = new FakeClock();
  const { runtime } = makeRuntime(opts.cfg ?? tour(), {
    clock,
    speed,
    startPaused: opts.startPaused,
  });
  const events: HybridEvent[] = [];
  /** Wall-clock time at which each event was emitted, by index. */
  const wallAt: number[] = [];
  runtime.onEvent((e) => {
    events.push(e);
    wallAt.push(clock.now());
  });
  void runtime.start();
  return { clock, runtime, events, wallAt };
}

describe('pause', () => {
  it("made while an event is handled (the dashboard's auto-pause) leaves the run's times as they were", () => {
    // Wall time passes while an item is handled; a pause from a listener then must not move the
    // simulated clock under the item's own effects, or a dashboard recording stops replaying.
    const run = (pauseAtSection: boolean) => {
      const { clock, runtime, events } = started(1);
      runtime.onEvent((e) => {
        if (pauseAtSection && e.type === 'section' && e.index === 2) {
          clock.advance(19);
          runtime.pause();
        }
      });
      for (let i = 0; i < 500 && ofType(events, 'decision').length < 3; i++) {
        if (runtime.status().paused) runtime.resume();
        clock.advance(500);
      }
      return events.filter((e) => e.type !== 'llm_delta').map((e) => `${e.type}@${e.t}`);
    };
    const plain = run(false);
    const paused = run(true);
    expect(plain.filter((e) => e.startsWith('decision'))).toHaveLength(3);
    expect(paused.slice(0, plain.length)).toEqual(plain);
  });

  it('freezes now() and recovery countdowns, however much wall time passes', () => {
    const attack = config({ seed: 1, scenario: BUILTIN_SCENARIOS['attack'] });
    const { clock, runtime, events, wallAt } = started(1, { cfg: attack });
    clock.advanceTo(15_000); // the attack injected its faults at 0 s, to recover at 20 and 25 s
    const faults = ofType(events, 'fault');
    expect(faults).toHaveLength(2);
    runtime.pause();
    expect(runtime.status().paused).toBe(true);
    const frozen = runtime.now();
    expect(frozen).toBe(15_000);
    const before = events.length;
    clock.advance(10_000_000); // far beyond every recover_at
    expect(runtime.now()).toBe(frozen);
    expect(clock.pending).toBe(0); // the runtime holds no wake-up while paused
    expect(events.length).toBe(before);
    expect(ofType(events, 'recovered')).toEqual([]);

    runtime.resume();
    const resumedWall = clock.now();
    const delta = faults.find((f) => f.agent === 'delta');
    if (!delta) throw new Error('no delta fault');
    // The countdown resumes where it stopped: delta recovers recover_at - 15 s of wall time later.
    clock.advanceTo(resumedWall + (delta.recover_at - frozen) - 1);
    expect(ofType(events, 'recovered')).toEqual([]);
    clock.advanceTo(resumedWall + (delta.recover_at - frozen));
    const recovered = ofType(events, 'recovered');
    expect(recovered).toMatchObject([{ agent: 'delta', by: 'timer', t: delta.recover_at }]);
    expect(wallAt[events.indexOf(recovered[0] as HybridEvent)]).toBe(
      resumedWall + delta.recover_at - frozen,
    );
  });

  it('a command while paused applies at the frozen time and its countdown waits for resume', () => {
    const { clock, runtime, events } = started(1);
    clock.advanceTo(2_000);
    runtime.pause();
    clock.advance(5_000);
    runtime.command({ type: 'inject', agent: 'gamma', kind: 'crash', durationMs: 3_000 });
    expect(ofType(events, 'fault')).toMatchObject([
      { agent: 'gamma', t: 2_000, recover_at: 5_000 },
    ]);
    clock.advance(100_000);
    expect(ofType(events, 'recovered')).toEqual([]);
    runtime.resume();
    clock.advance(3_000);
    expect(ofType(events, 'recovered')).toMatchObject([{ agent: 'gamma', by: 'timer', t: 5_000 }]);
  });

  it('togglePause pauses and resumes; resume without pause is a no-op', () => {
    const { runtime } = started(1);
    runtime.resume();
    expect(runtime.status().paused).toBe(false);
    runtime.togglePause();
    expect(runtime.status().paused).toBe(true);
    runtime.togglePause();
    expect(runtime.status().paused).toBe(false);
  });
});

describe('step', () => {
  it('while paused advances exactly one phase, then pauses again (passing IDLE)', () => {
    const { clock, runtime, events } = started(1, { startPaused: true });
    // IDLE (between rounds) is not a stop: every step lands on a phase of a round.
    const phases = () => ofType(events, 'phase').filter((p) => p.phase !== 'idle');
    // Starting paused still opens the first round (the start input), then waits.
    expect(phases().map((p) => p.phase)).toEqual(['propose']);
    clock.advance(1_000_000);
    expect(phases()).toHaveLength(1);
    expect(runtime.now()).toBe(0);

    const seen: string[] = ['propose'];
    for (let i = 0; i < 12; i++) {
      const n = phases().length;
      runtime.step();
      for (let guard = 0; guard < 10_000 && !runtime.status().paused; guard++) clock.fireNext();
      expect(runtime.status().paused).toBe(true);
      expect(phases()).toHaveLength(n + 1);
      // The phase shown moves on with every press.
      expect(ofType(events, 'phase').at(-1)?.phase).not.toBe('idle');
      expect(phases().at(-1)).not.toEqual(phases().at(-2));
      seen.push(phases().at(-1)?.phase ?? '?');
      // Paused again: wall time moves nothing.
      const t = runtime.now();
      const count = events.length;
      clock.advance(500_000);
      expect(runtime.now()).toBe(t);
      expect(events.length).toBe(count);
    }
    expect(seen.slice(0, 7)).toEqual([
      'propose',
      'select',
      'vote',
      'decide',
      'propose',
      'select',
      'vote',
    ]);
    // The first step landed on round 1's select: all five proposals came in before it.
    const firstSelect = phases()[1];
    expect(
      ofType(events, 'proposal').filter((p) => p.round === 1 && p.t <= (firstSelect?.t ?? 0)),
    ).toHaveLength(5);
  });

  it('does nothing while running', () => {
    const { runtime } = started(1);
    runtime.step();
    expect(runtime.status().paused).toBe(false);
  });
});

describe('speed', () => {
  it('speed 2 runs simulated time twice as fast as wall time', () => {
    const { clock, runtime, events, wallAt } = started(2);
    clock.advanceTo(1_000);
    expect(runtime.now()).toBe(2_000);
    clock.advanceTo(15_000);
    expect(runtime.now()).toBe(30_000);
    clock.advanceTo(70_000); // the tour ends at ~127 s of simulated time
    expect(runtime.status().stopped).toBe(true);
    // Every event was emitted at wall time t / 2.
    expect(events.length).toBeGreaterThan(100);
    events.forEach((e, i) => {
      if (e.type !== 'run_start') expect(e.t).toBeCloseTo(2 * (wallAt[i] ?? NaN), 6);
    });
    // Timed recoveries (the tour heals its equivocators by script).
    const recovered = ofType(events, 'recovered').filter((r) => r.by === 'timer');
    expect(recovered.length).toBeGreaterThan(0);
    const faults = ofType(events, 'fault');
    for (const r of recovered) {
      // The fault that recovered is the agent's latest one (the tour strikes twice).
      const f = faults.filter((x) => x.agent === r.agent && x.t <= r.t).at(-1);
      expect(r.t).toBe(f?.recover_at);
      expect(wallAt[events.indexOf(r)]).toBeCloseTo((f?.recover_at ?? NaN) / 2, 6);
    }
  });

  it('setSpeed changes the rate from now on without a jump', () => {
    const { clock, runtime } = started(2);
    clock.advanceTo(1_000);
    expect(runtime.now()).toBe(2_000);
    runtime.setSpeed(0.5);
    expect(runtime.status().speed).toBe(0.5);
    expect(runtime.now()).toBe(2_000);
    clock.advanceTo(3_000);
    expect(runtime.now()).toBe(3_000);
  });

  it('speed 1 keeps simulated time equal to wall time and streams offline text as deltas', () => {
    const { clock, runtime, events } = started(1);
    clock.advanceTo(9_000);
    expect(runtime.now()).toBe(9_000);
    expect(ofType(events, 'llm_delta').length).toBeGreaterThan(10);
  });

  it('at --speed max the whole tour finishes (no real sleeps, no deltas)', async () => {
    const runtime = createRuntime(tour(), { speed: 'max' });
    const events: HybridEvent[] = [];
    runtime.onEvent((e) => events.push(e));
    const summary = await runtime.start();
    expect(summary).toMatchObject({ type: 'summary', rounds: 14 });
    expect(runtime.status()).toMatchObject({ stopped: true, scenarioDone: true });
    expect(events.at(-1)).toBe(summary);
    expect(ofType(events, 'llm_delta')).toEqual([]);
    expect(ofType(events, 'decision').length).toBeGreaterThanOrEqual(6);
  });

  it('at --speed max a long chaos run finishes too', async () => {
    const runtime = createRuntime(
      config({ scenario: BUILTIN_SCENARIOS['chaos'], maxRounds: 300 }),
      {
        speed: 'max',
      },
    );
    const summary = await runtime.start();
    expect(summary.rounds).toBe(300);
  });
});

describe('stop', () => {
  it('ends the run with a summary; nothing happens afterwards', () => {
    const { clock, runtime, events } = started(1, {
      cfg: config({ scenario: scenario('long', [{ type: 'rounds', count: 50 }]) }),
    });
    clock.advanceTo(20_000);
    runtime.stop();
    expect(events.at(-1)?.type).toBe('summary');
    expect(runtime.status().stopped).toBe(true);
    const n = events.length;
    clock.advance(1_000_000);
    runtime.command({ type: 'recover_all' });
    expect(events.length).toBe(n);
  });
});
