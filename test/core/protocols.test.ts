import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENTS } from '../../src/core/catalogue.js';
import { selectCandidates, tally } from '../../src/core/protocols.js';
import type { ProposalRecord, VoteRecord } from '../../src/core/state.js';
import type { AgentSpec } from '../../src/core/types.js';
import { collect, config, ofType, scenario } from './helpers.js';

const agents = (...ws: [string, number][]): AgentSpec[] =>
  ws.map(([id, weight]) => ({ id, name: id, specialty: 'gpu', weight }));

const prop = (
  agent: string,
  nodeId: string,
  score: number,
  extra: Partial<ProposalRecord> = {},
): ProposalRecord => ({
  agent,
  answer: { kind: 'proposal', nodeId, score, reasoning: `${agent} likes ${nodeId}` },
  valid: true,
  counted: true,
  ...extra,
});

const votes = (...vs: [string, 'accept' | 'reject', number][]): VoteRecord[] =>
  vs.map(([agent, vote, weight]) => ({ agent, vote, weight }));

describe('classic selection (the original rule)', () => {
  const five = [...DEFAULT_AGENTS];

  it('the single highest score wins the agenda, even a node that does not exist', () => {
    const c = selectCandidates(
      'classic',
      [
        prop('alpha', 'n1', 0.9),
        prop('beta', 'n999', 1.0, { valid: false }),
        prop('gamma', 'n3', 0.95),
      ],
      five,
    );
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ nodeId: 'n999', score: 1.0, proposer: 'beta' });
  });

  it('ties go to the agent listed first, whatever order the answers arrived in', () => {
    const proposals = [
      prop('epsilon', 'n5', 0.9),
      prop('gamma', 'n3', 0.9),
      prop('beta', 'n4', 0.9),
    ];
    expect(selectCandidates('classic', proposals, five)[0]?.proposer).toBe('beta');
    const reversed = [...five].reverse();
    expect(selectCandidates('classic', proposals, reversed)[0]?.proposer).toBe('epsilon');
  });

  it('skips malformed (no answer) and uncounted proposals; none left means no candidate', () => {
    const malformed: ProposalRecord = { agent: 'alpha', answer: null, valid: false, counted: true };
    expect(
      selectCandidates('classic', [malformed, prop('beta', 'n1', 0.99, { counted: false })], five),
    ).toEqual([]);
    expect(
      selectCandidates('classic', [malformed, prop('gamma', 'n3', 0.1)], five)[0]?.nodeId,
    ).toBe('n3');
  });

  it('commits at accept >= 2/3 of the total weight (inclusive)', () => {
    const exact = tally('classic', votes(['a', 'accept', 1], ['b', 'accept', 1]), 3);
    expect(exact).toMatchObject({ committed: true, accept: 2, quorum: 2, absent: 1, total: 3 });
    const under = tally('classic', votes(['a', 'accept', 1], ['b', 'accept', 0.99]), 3);
    expect(under.committed).toBe(false);
  });

  it('counts reject and absent weight against the total (default 5.5, quorum 3.67)', () => {
    const t = tally(
      'classic',
      votes(['alpha', 'accept', 1.3], ['beta', 'accept', 1.2], ['gamma', 'reject', 1.1]),
      5.5,
    );
    expect(t).toMatchObject({ accept: 2.5, reject: 1.1, absent: 1.9, total: 5.5, quorum: 3.67 });
    expect(t.committed).toBe(false);
  });
});

describe('bft selection (weighted support)', () => {
  it('ranks nodes by sum of weight x clamp(score, 0, 1) over valid proposals', () => {
    const ag = agents(['a', 1.3], ['b', 1.2], ['c', 1.1]);
    const c = selectCandidates(
      'bft',
      [prop('a', 'n1', 0.9), prop('b', 'n2', 0.95), prop('c', 'n2', 0.5)],
      ag,
    );
    expect(c.map((x) => x.nodeId)).toEqual(['n2', 'n1']);
    expect(c[0]?.score).toBeCloseTo(1.2 * 0.95 + 1.1 * 0.5, 2);
    expect(c[0]?.supporters.map((s) => s.agent)).toEqual(['b', 'c']);
    expect(c[1]?.score).toBeCloseTo(1.17, 2);
  });

  it('one inflated score cannot hijack the agenda (scores are clamped to [0, 1])', () => {
    const ag = agents(['a', 1], ['b', 1], ['c', 1]);
    const c = selectCandidates(
      'bft',
      [prop('a', 'n1', 0.9), prop('b', 'n2', 50), prop('c', 'n1', 0.9)],
      ag,
    );
    expect(c[0]?.nodeId).toBe('n1');
    expect(c[1]).toMatchObject({ nodeId: 'n2', score: 1 });
    const negative = selectCandidates('bft', [prop('a', 'n3', -5)], ag);
    expect(negative[0]?.score).toBe(0);
  });

  it('ties in support go to the lower node id, not to list order', () => {
    const ag = agents(['a', 1], ['b', 1]);
    const c = selectCandidates('bft', [prop('a', 'n2', 0.8), prop('b', 'n1', 0.8)], ag);
    expect(c.map((x) => x.nodeId)).toEqual(['n1', 'n2']);
  });

  it('discards invalid, malformed and quarantined (uncounted) proposals', () => {
    const ag = agents(['a', 1], ['b', 5], ['c', 5], ['d', 1]);
    const c = selectCandidates(
      'bft',
      [
        prop('a', 'n3', 0.5),
        prop('b', 'n999', 1, { valid: false }),
        { agent: 'c', answer: null, valid: false, counted: true },
        prop('d', 'n1', 1, { counted: false }),
      ],
      ag,
    );
    expect(c.map((x) => x.nodeId)).toEqual(['n3']);
  });

  it('commits only when accept weight is strictly more than 2/3 of the total', () => {
    expect(tally('bft', votes(['a', 'accept', 1], ['b', 'accept', 1]), 3).committed).toBe(false);
    expect(tally('bft', votes(['a', 'accept', 1], ['b', 'accept', 1.01]), 3).committed).toBe(true);
    // Floating error must not turn an exact 2/3 into a commit: 1.1 + 2.567 ~ 3.667 of 5.5.
    const w = (5.5 * 2) / 3;
    expect(tally('bft', votes(['a', 'accept', w]), 5.5).committed).toBe(false);
    expect(tally('classic', votes(['a', 'accept', w]), 5.5).committed).toBe(true);
  });
});

describe('protocols in the engine', () => {
  it('crashed weight stays in the total: classic needs >= 2/3 of ALL weight, live or not', () => {
    // delta (1.0) and epsilon (0.9) crashed: the three live agents hold 3.6 < 3.67.
    const cfg = config({
      protocol: 'classic',
      scenario: scenario('crash-two', [
        { type: 'inject', agent: 'delta', fault: 'crash', durationMs: 60_000 },
        { type: 'inject', agent: 'epsilon', fault: 'crash', durationMs: 60_000 },
        { type: 'rounds', count: 1, job: 'ai-training' },
      ]),
    });
    const [d] = ofType(collect(cfg), 'decision');
    expect(d).toMatchObject({
      outcome: 'no_decision',
      node_id: 'n1',
      valid: true,
      accept_weight: 3.6,
      absent_weight: 1.9,
      total_weight: 5.5,
      quorum: 3.67,
      failed_operations: 2,
    });
    expect(d?.reason).toMatch(/faulty weight 1\.9 of 5\.5 is over the 1\/3/);
  });

  it('at exactly 2/3 accept (one of three equal agents crashed) classic commits, bft does not', () => {
    const three = agents(['a', 1], ['b', 1], ['c', 1]);
    const run = (protocol: 'classic' | 'bft') =>
      ofType(
        collect(
          config({
            agents: three,
            protocol,
            scenario: scenario('exact', [
              { type: 'inject', agent: 'c', fault: 'crash', durationMs: 60_000 },
              { type: 'rounds', count: 1, job: 'ai-training' },
            ]),
          }),
        ),
        'decision',
      );
    const classic = run('classic');
    expect(classic).toHaveLength(1);
    expect(classic[0]).toMatchObject({ outcome: 'committed', accept_weight: 2, quorum: 2 });
    const bft = run('bft');
    expect(bft.at(-1)).toMatchObject({ outcome: 'no_decision', accept_weight: 2, quorum: 2 });
    expect(bft.at(-1)?.reason).toMatch(/is not over the quorum 2/);
  });

  it('bft discards invalid and malformed proposals with evidence events, and never selects them', () => {
    const cfg = config({
      protocol: 'bft',
      byzantineRate: 1,
      scenario: scenario('byz', [
        { type: 'inject', agent: 'beta', fault: 'byzantine', durationMs: 600_000 },
        { type: 'rounds', count: 6, job: 'data-analytics' },
      ]),
    });
    const events = collect(cfg);
    const betaProposals = ofType(events, 'proposal').filter((p) => p.agent === 'beta');
    const evidence = ofType(events, 'evidence');
    const kinds = new Set<string>();
    for (const p of betaProposals) {
      if (p.status === 'ignored') continue; // quarantined by then
      expect(['invalid', 'malformed']).toContain(p.status);
      const ev = evidence.find((e) => e.round === p.round && e.agent === 'beta');
      expect(ev, `evidence for round ${p.round}`).toBeDefined();
      expect(ev?.kind).toBe(p.status === 'invalid' ? 'invalid_proposal' : 'malformed_proposal');
      kinds.add(p.status);
    }
    expect(evidence.every((e) => e.agent === 'beta')).toBe(true);
    for (const c of ofType(events, 'candidate')) expect(c.valid).toBe(true);
    for (const d of ofType(events, 'decision')) {
      expect(d.unsafe).toBe(false);
      if (d.outcome === 'committed') expect(d.valid).toBe(true);
    }
    expect(kinds.size).toBeGreaterThan(0);
    expect(evidence.length).toBeGreaterThanOrEqual(2);
  });

  it('bft with no valid proposal at all ends the round with no decision and says why', () => {
    const cfg = config({
      protocol: 'bft',
      nodes: [{ id: 'n6', name: 'Storage-01', cpus: 16, ramGb: 64, gpus: 0, type: 'storage' }],
      scenario: scenario('none-valid', [{ type: 'rounds', count: 1, job: 'ai-training' }]),
    });
    const events = collect(cfg);
    expect(ofType(events, 'candidate')).toEqual([]);
    const [d] = ofType(events, 'decision');
    expect(d).toMatchObject({ outcome: 'no_decision', node_id: null, valid: null, unsafe: false });
    expect(d?.reason).toMatch(/no valid proposal/);
  });

  it('bft retries with the next candidate, at most twice, then ends with no decision', () => {
    // A job with no preferred type splits the specialists over different nodes; with beta and
    // delta crashed (2.2 of 5.5) no candidate can pass 2/3, so the round tries three and gives up.
    const anyJob = {
      id: 'any',
      title: 'Any Job',
      description: 'Any Job: runs anywhere',
      requirements: { minGpus: 0, minRamGb: 16, minCpus: 8 },
    };
    const cfg = config({
      protocol: 'bft',
      jobs: [anyJob],
      scenario: scenario('retry', [
        { type: 'inject', agent: 'beta', fault: 'crash', durationMs: 600_000 },
        { type: 'inject', agent: 'delta', fault: 'crash', durationMs: 600_000 },
        { type: 'rounds', count: 1, job: 'any' },
      ]),
    });
    const events = collect(cfg);
    const proposed = new Set(
      ofType(events, 'proposal')
        .filter((p) => p.status === 'valid')
        .map((p) => p.node_id),
    );
    expect(proposed.size).toBeGreaterThanOrEqual(3);
    const retries = ofType(events, 'retry');
    const decisions = ofType(events, 'decision');
    const candidates = ofType(events, 'candidate');
    // Two candidates not accepted, then the round's one decision: no decision.
    expect(retries.map((r) => r.attempt)).toEqual([0, 1]);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ outcome: 'no_decision', attempt: 2 });
    expect(new Set(candidates.map((c) => c.node_id)).size).toBe(3);
    for (const d of [...retries, ...decisions]) expect(d.accept_weight).toBe(3.3);
    expect(decisions[0]?.reason).toMatch(/faulty weight 2\.2 of 5\.5 is over the 1\/3/);
  });
});
