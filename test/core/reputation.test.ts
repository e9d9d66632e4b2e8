import { describe, expect, it } from 'vitest';
import { collect, config, ofType, scenario } from './helpers.js';

// Beta is byzantine at rate 1 for three rounds, then healed; nine clean rounds follow.
const cfg = (protocol: 'classic' | 'bft') =>
  config({
    protocol,
    byzantineRate: 1,
    scenario: scenario('rep', [
      { type: 'inject', agent: 'beta', fault: 'byzantine', durationMs: 600_000 },
      { type: 'rounds', count: 3, job: 'data-analytics' },
      { type: 'recover', agent: 'beta' },
      { type: 'rounds', count: 9, job: 'data-analytics' },
    ]),
  });

describe('reputation and quarantine (bft)', () => {
  const events = collect(cfg('bft'));
  const rep = ofType(events, 'reputation').filter((r) => r.agent === 'beta');
  const roundOf = (t: number) => ofType(events, 'round_start').filter((r) => r.t <= t).length;

  it('evidence lowers reputation; below 0.5 the agent is quarantined', () => {
    expect(rep.slice(0, 2).map((r) => [r.reputation, r.quarantined])).toEqual([
      [0.65, false],
      [0.3, true],
    ]);
    // The evidence came first, in the same rounds.
    const ev = ofType(events, 'evidence').filter((e) => e.agent === 'beta');
    expect(ev.map((e) => e.round).slice(0, 2)).toEqual([1, 2]);
  });

  it("a quarantined agent's vote is counted as absent and its proposals are ignored", () => {
    const quarantinedFrom = roundOf(rep[1]?.t ?? 0) + 1; // from the round after the second
    const released = rep.find((r, i) => i > 1 && !r.quarantined);
    const releasedAfter = released ? roundOf(released.t) : Infinity;
    const inQuarantine = (round: number) => round >= quarantinedFrom && round <= releasedAfter;
    const votes = ofType(events, 'vote').filter((v) => v.agent === 'beta' && inQuarantine(v.round));
    expect(votes.length).toBeGreaterThan(3);
    for (const v of votes) {
      expect(v).toMatchObject({ status: 'absent', vote: null });
      expect(v.reasoning).toMatch(/quarantined/);
    }
    const proposals = ofType(events, 'proposal').filter(
      (p) => p.agent === 'beta' && inQuarantine(p.round),
    );
    // Honest proposals after recovery are parseable, so they show as ignored.
    const afterRecovery = proposals.filter((p) => p.round > 3);
    expect(afterRecovery.length).toBeGreaterThan(3);
    for (const p of afterRecovery)
      expect(p).toMatchObject({ status: 'ignored', reason: 'quarantined' });
    // Beta's weight is absent in those decisions (4.3 of 5.5 still commits).
    for (const d of ofType(events, 'decision').filter((x) => x.round > 3 && inQuarantine(x.round)))
      expect(d).toMatchObject({ outcome: 'committed', accept_weight: 4.3, absent_weight: 1.2 });
  });

  it('clean rounds restore reputation; release only at 0.8 (hysteresis)', () => {
    const after = rep.slice(2);
    // 0.3 -> (one more bad round) -> 0 ... then +0.1 per clean round.
    const values = after.map((r) => r.reputation);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1] ?? 1);
    for (const r of after) expect(r.quarantined).toBe(r.reputation < 0.8);
    expect(values[0]).toBe(0);
    const release = after.find((r) => !r.quarantined);
    expect(release).toMatchObject({ reputation: 0.8, quarantined: false });
    // Once released its next proposals count again.
    const releasedRound = roundOf(release?.t ?? 0);
    expect(releasedRound).toBeLessThan(12);
    const next = ofType(events, 'proposal').filter(
      (p) => p.agent === 'beta' && p.round > releasedRound,
    );
    for (const p of next) expect(p.status).toBe('valid');
  });

  it('detection is measured against the faults actually injected', () => {
    const summary = ofType(events, 'summary')[0];
    expect(summary?.detection).toMatchObject({
      precision: 1,
      recall: 1,
      true_positives: 3,
      corrupted: 3,
    });
  });

  it('honest agents keep full reputation', () => {
    expect(ofType(events, 'reputation').every((r) => r.agent === 'beta')).toBe(true);
  });
});

describe('reputation under classic', () => {
  it('classic has no evidence, reputation or quarantine (the original had none)', () => {
    const events = collect(cfg('classic'));
    expect(ofType(events, 'evidence')).toEqual([]);
    expect(ofType(events, 'reputation')).toEqual([]);
    expect(ofType(events, 'vote').some((v) => v.status === 'absent')).toBe(false);
  });
});
