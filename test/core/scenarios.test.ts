import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES, BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import type { ScenarioSpec } from '../../src/core/scenario.js';
import { collect, config, ofType } from './helpers.js';

const builtin = (name: string): ScenarioSpec => {
  const s = BUILTIN_SCENARIOS[name];
  if (!s) throw new Error(name);
  return s;
};

describe('the tour (seed 1)', () => {
  const events = collect(config({ seed: 1, scenario: builtin('tour') }));
  const decisions = ofType(events, 'decision');
  const rounds = ofType(events, 'round_start');
  const final = (round: number) => decisions.filter((d) => d.round === round).at(-1);

  it('runs its seven sections in order', () => {
    expect(ofType(events, 'section').map((s) => [s.index, s.total, s.title])).toEqual([
      [1, 7, 'healthy baseline'],
      [2, 7, 'attack (classic)'],
      [3, 7, 'attack (bft)'],
      [4, 7, 'recovery monitoring'],
      [5, 7, 'post-recovery round'],
      [6, 7, 'why 2/3: an equivocating proposer at quorum 1/2'],
      [7, 7, 'the same attack at more than 2/3'],
    ]);
    expect(rounds.map((r) => [r.job.id, r.protocol])).toEqual([
      ['ai-training', 'classic'],
      ['data-analytics', 'classic'],
      ['data-analytics', 'classic'],
      ['data-analytics', 'bft'],
      ['data-analytics', 'bft'],
      ['ml-pipeline', 'bft'],
      ...Array.from({ length: 8 }, () => ['data-analytics', 'bft']),
    ]);
  });

  it('round 1 commits a GPU node for AI training', () => {
    expect(rounds[0]?.job.id).toBe('ai-training');
    expect(final(1)?.outcome).toBe('committed');
    expect(['n1', 'n2']).toContain(final(1)?.node_id);
    expect(final(1)?.valid).toBe(true);
  });

  it('under bft no decision is unsafe and no invalid node is committed', () => {
    const bft = decisions.filter((d) => d.protocol === 'bft');
    expect(bft.length).toBeGreaterThan(0);
    for (const d of bft) {
      expect(d.unsafe).toBe(false);
      if (d.outcome === 'committed') expect(d.valid).toBe(true);
    }
  });

  it('after recovery the post-recovery round commits a valid node', () => {
    const recovered = ofType(events, 'recovered').filter((r) => r.by === 'timer');
    expect(recovered.map((r) => r.agent).sort()).toEqual(['beta', 'delta']);
    const last = rounds.find((r) => r.job.id === 'ml-pipeline');
    expect(last?.t).toBeGreaterThanOrEqual(Math.max(...recovered.map((r) => r.t)));
    const d = final(last?.round ?? -1);
    expect(d).toMatchObject({ outcome: 'committed', valid: true, unsafe: false });
    expect(['n1', 'n2']).toContain(d?.node_id); // ml-pipeline needs 2 GPUs
  });

  it('the summary agrees with the decisions', () => {
    const summary = ofType(events, 'summary')[0];
    const finals = rounds.map((r) => final(r.round));
    expect(summary).toMatchObject({
      rounds: rounds.length,
      committed: finals.filter((d) => d?.outcome === 'committed').length,
      no_decision: finals.filter((d) => d?.outcome === 'no_decision').length,
      invalid_commits: finals.filter((d) => d?.outcome === 'committed' && d.valid === false).length,
    });
    expect(events.at(-1)?.type).toBe('summary');
    expect(events[0]?.type).toBe('run_start');
  });
});

describe('the other built-in scenarios', () => {
  it('every built-in runs to a summary for a few seeds and both starting protocols', () => {
    for (const name of BUILTIN_NAMES) {
      for (const seed of [1, 7]) {
        for (const protocol of ['classic', 'bft'] as const) {
          const events = collect(
            config({
              seed,
              protocol,
              scenario: builtin(name),
              maxRounds: name === 'chaos' ? 30 : null,
            }),
          );
          expect(events.at(-1)?.type, `${name} ${seed} ${protocol}`).toBe('summary');
          expect(ofType(events, 'scenario_end')).toHaveLength(1);
        }
      }
    }
  });

  it('healthy: every round commits a valid node', () => {
    for (const seed of [1, 2, 3]) {
      const ds = ofType(collect(config({ seed, scenario: builtin('healthy') })), 'decision');
      expect(ds).toHaveLength(3);
      for (const d of ds) expect(d).toMatchObject({ outcome: 'committed', valid: true });
    }
  });

  it('overload: with faulty weight >= 1/3 bft refuses every round and says why', () => {
    // Alpha byzantine, beta crashed, gamma slow: what can still vote (3.2 of 5.5) is under the
    // quorum even when the byzantine agent accepts, so safety wins over liveness every time.
    for (let seed = 1; seed <= 20; seed++) {
      const events = collect(config({ seed, scenario: builtin('overload') }));
      const finals = ofType(events, 'decision');
      expect(finals).toHaveLength(3);
      for (const d of finals) {
        expect(d).toMatchObject({ protocol: 'bft', outcome: 'no_decision', unsafe: false });
        // 3.6 of 5.5 while all three are faulty; once alpha is jailed, 2.3 of 4.2.
        expect(d.reason).toMatch(
          /faulty weight (3\.6 of 5\.5|2\.3 of 4\.2) is over the 1\/3 the protocol tolerates/,
        );
      }
    }
  });

  it('recovery: waits for the timers, then the post-recovery round commits', () => {
    const events = collect(config({ seed: 3, scenario: builtin('recovery') }));
    const wait = ofType(events, 'wait');
    expect(wait.at(-1)?.outcome).toBe('done');
    const last = ofType(events, 'decision').at(-1);
    expect(last).toMatchObject({ outcome: 'committed', valid: true });
    expect(ofType(events, 'round_start').at(-1)?.job.id).toBe('ml-pipeline');
  });

  it('chaos: injects random faults and stops at maxRounds', () => {
    const events = collect(config({ seed: 5, scenario: builtin('chaos'), maxRounds: 40 }));
    expect(ofType(events, 'round_start')).toHaveLength(40);
    expect(ofType(events, 'fault').length).toBeGreaterThan(3);
    // Over a few seeds every kind chaos draws from shows up.
    const kinds = new Set<string>();
    for (const seed of [5, 6, 7])
      for (const f of ofType(
        collect(config({ seed, scenario: builtin('chaos'), maxRounds: 40 })),
        'fault',
      ))
        kinds.add(f.kind);
    expect(kinds).toEqual(new Set(['byzantine', 'crash', 'slow']));
    expect(ofType(events, 'summary')[0]?.rounds).toBe(40);
    for (const d of ofType(events, 'decision')) expect(d.unsafe).toBe(false);
  });
});
