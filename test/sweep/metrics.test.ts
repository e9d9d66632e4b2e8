// Run metrics from hand-made event logs: each figure against a count done by hand.
import { describe, expect, it } from 'vitest';
import type { HybridEvent } from '../../src/core/events.js';
import { metricsOf } from '../../src/sweep/metrics.js';

type Loose = Record<string, unknown>;
const ev = (e: Loose) => e as unknown as HybridEvent;

const AGENTS = [
  { id: 'a', weight: 2 },
  { id: 'b', weight: 1 },
  { id: 'c', weight: 1 },
  { id: 'd', weight: 2 },
];
const start = ev({ type: 'run_start', t: 0, agents: AGENTS, total_weight: 6 });
const roundStart = (round: number, t: number) => ev({ type: 'round_start', round, t });
const decision = (round: number, t: number, extra: Loose = {}) =>
  ev({
    type: 'decision',
    round,
    t,
    outcome: 'committed',
    valid: true,
    node_id: 'n1',
    total_weight: 6,
    ...extra,
  });
const noDecision = (round: number, t: number) =>
  decision(round, t, { outcome: 'no_decision', valid: null, node_id: null });
const summary = (t: number, extra: Loose = {}) =>
  ev({
    type: 'summary',
    t,
    calls: { llm: 0, fallback: 0, offline: 10 },
    latency_ms: { p50: 900, p95: 1500 },
    detection: { precision: 0.5, recall: 0.25 },
    ...extra,
  });

describe('run metrics from an event log', () => {
  it('counts invalid commits, liveness and time to decision over heights', () => {
    const m = metricsOf([
      start,
      roundStart(1, 0),
      decision(1, 4000),
      roundStart(2, 5000),
      decision(2, 11000, { valid: false, node_id: 'n999' }),
      roundStart(3, 12000),
      noDecision(3, 20000),
      roundStart(4, 21000),
      decision(4, 23000),
      summary(24000),
    ]);
    expect(m.rounds).toBe(4);
    expect(m.liveness).toBe(0.75);
    expect(m.invalid_commit_rate).toBe(0.25);
    // Commits only: (4000 + 6000 + 2000) / 3.
    expect(m.time_to_decision_ms).toBe(4000);
    expect(m.detection_precision).toBe(0.5);
    expect(m.detection_recall).toBe(0.25);
    expect(m.fork_rate).toBe(0);
    // No model was called: no latency to report.
    expect(m.llm_calls).toBe(0);
    expect(m.llm_latency_p50_ms).toBeNull();
  });

  it('splits liveness at 1/3 of the weight from fault and recovery events', () => {
    const m = metricsOf([
      start,
      ev({ type: 'fault', t: 0, agent: 'b', kind: 'crash' }), // 1/6
      decision(1, 1000),
      ev({ type: 'fault', t: 1500, agent: 'a', kind: 'byzantine' }), // 3/6
      noDecision(2, 2000),
      decision(3, 3000),
      ev({ type: 'recovered', t: 3500, agent: 'a', kind: 'byzantine' }), // back to 1/6
      noDecision(4, 4000),
      summary(5000),
    ]);
    expect(m.liveness_below_third).toBe(0.5);
    expect(m.liveness_above_third).toBe(0.5);
    expect(m.faulty_share).toBeCloseTo((1 / 6 + 3 / 6 + 3 / 6 + 1 / 6) / 4, 12);
  });

  it("prefers the engine's own faulty weight when a decision reports it", () => {
    const m = metricsOf([start, decision(1, 1000, { faulty_weight: 3 }), summary(2000)]);
    expect(m.faulty_share).toBe(0.5);
    expect(m.liveness_above_third).toBe(1);
    expect(m.liveness_below_third).toBeNull();
  });

  it('reads the bft fields of the contract: forks, best node, regret, jail', () => {
    const m = metricsOf([
      start,
      decision(1, 1000, { best_node_id: 'n1', regret: 0, fork: false }),
      decision(2, 2000, { best_node_id: 'n2', regret: 0.3, fork: true }),
      decision(3, 3000, { best_node_id: 'n1', regret: 0.1 }),
      ev({ type: 'jail', t: 3000, agent: 'b', evidence: 'equivocation', until_height: 9 }),
      ev({ type: 'release', t: 7000, agent: 'b', by: 'timer' }),
      ev({ type: 'jail', t: 8000, agent: 'd', evidence: 'equivocation', until_height: 12 }),
      summary(10000),
    ]);
    expect(m.fork_rate).toBeCloseTo(1 / 3, 12);
    expect(m.best_node_rate).toBeCloseTo(2 / 3, 12);
    expect(m.mean_regret).toBeCloseTo(0.4 / 3, 12);
    // b: 4000 ms; d: still jailed at the summary, 2000 ms.
    expect(m.jailed_ms).toBe(6000);
  });

  it('has no quality figures from an engine that does not report them', () => {
    const m = metricsOf([start, decision(1, 1000), summary(2000)]);
    expect(m.best_node_rate).toBeNull();
    expect(m.mean_regret).toBeNull();
    expect(m.jailed_ms).toBe(0);
  });

  it('counts rounds to recover and time to detection', () => {
    const m = metricsOf([
      start,
      ev({ type: 'fault', t: 0, agent: 'a', kind: 'byzantine' }),
      ev({ type: 'fault', t: 0, agent: 'd', kind: 'crash' }),
      ev({ type: 'evidence', t: 2500, agent: 'a', round: 1, kind: 'invalid_proposal' }),
      ev({ type: 'evidence', t: 2600, agent: 'a', round: 1, kind: 'invalid_proposal' }),
      noDecision(1, 3000),
      ev({ type: 'recovered', t: 3500, agent: 'd', kind: 'crash' }),
      noDecision(2, 4000),
      decision(3, 5000, { valid: false }),
      decision(4, 6000),
      ev({ type: 'recovered', t: 6500, agent: 'a', kind: 'byzantine' }),
      decision(5, 7000),
      summary(8000),
    ]);
    // After d's recovery: round 2 none, 3 invalid, 4 valid -> 3 rounds; after a's: 1 round.
    expect(m.rounds_to_recover).toBe(2);
    // Only the first evidence after a turned byzantine counts.
    expect(m.time_to_detection_ms).toBe(2500);
  });

  it('reports model calls, fallbacks and latency when a model was used', () => {
    const m = metricsOf([
      start,
      decision(1, 1000),
      summary(2000, {
        calls: { llm: 8, fallback: 2, offline: 0 },
        latency_ms: { p50: 640, p95: 900 },
      }),
    ]);
    expect(m.llm_calls).toBe(8);
    expect(m.llm_fallbacks).toBe(2);
    expect(m.llm_latency_p50_ms).toBe(640);
  });
});
