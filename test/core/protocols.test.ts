import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENTS } from '../../src/core/catalogue.js';
import { selectCandidates, tally } from '../../src/core/protocols.js';
import { meetsQuorum, meetsSkip, passes, quorumRule, thresholds } from '../../src/core/quorum.js';
import type { ProposalRecord, VoteRecord } from '../../src/core/state.js';
import type { AgentSpec } from '../../src/core/types.js';
import { collect, config, ofType, scenario } from './helpers.js';

const CLASSIC = quorumRule('classic', null);
const BFT = quorumRule('bft', null);

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
    expect(selectCandidates(proposals, five)[0]?.proposer).toBe('beta');
    const reversed = [...five].reverse();
    expect(selectCandidates(proposals, reversed)[0]?.proposer).toBe('epsilon');
  });

  it('skips malformed (no answer) and uncounted proposals; none left means no candidate', () => {
    const malformed: ProposalRecord = { agent: 'alpha', answer: null, valid: false, counted: true };
    expect(
      selectCandidates([malformed, prop('beta', 'n1', 0.99, { counted: false })], five),
    ).toEqual([]);
    expect(selectCandidates([malformed, prop('gamma', 'n3', 0.1)], five)[0]?.nodeId).toBe('n3');
  });

  it('commits at accept >= 2/3 of the total weight (inclusive)', () => {
    const exact = tally(CLASSIC, votes(['a', 'accept', 1], ['b', 'accept', 1]), 3);
    expect(exact).toMatchObject({ committed: true, accept: 2, quorum: 2, absent: 1, total: 3 });
    const under = tally(CLASSIC, votes(['a', 'accept', 1], ['b', 'accept', 0.99]), 3);
    expect(under.committed).toBe(false);
  });

  it('counts reject and absent weight against the total (default 5.5, quorum 3.67)', () => {
    const t = tally(
      CLASSIC,
      votes(['alpha', 'accept', 1.3], ['beta', 'accept', 1.2], ['gamma', 'reject', 1.1]),
      5.5,
    );
    expect(t).toMatchObject({ accept: 2.5, reject: 1.1, absent: 1.9, total: 5.5, quorum: 3.67 });
    expect(t.committed).toBe(false);
  });
});

describe('the quorum rule: strictly more than F (bft, or --quorum F)', () => {
  it('commits only when accept weight is strictly more than 2/3 of the total', () => {
    expect(tally(BFT, votes(['a', 'accept', 1], ['b', 'accept', 1]), 3).committed).toBe(false);
    expect(tally(BFT, votes(['a', 'accept', 1], ['b', 'accept', 1.01]), 3).committed).toBe(true);
    // Floating error must not turn an exact 2/3 into a commit: 1.1 + 2.567 ~ 3.667 of 5.5.
    const w = (5.5 * 2) / 3;
    expect(tally(BFT, votes(['a', 'accept', w]), 5.5).committed).toBe(false);
    expect(tally(CLASSIC, votes(['a', 'accept', w]), 5.5).committed).toBe(true);
  });

  it("f+1 (line 55) is strictly more than 1 - F of the total, and a height's thresholds agree", () => {
    for (const [rule, skipAt] of [
      [BFT, 5.5 / 3],
      [quorumRule('bft', 0.5), 5.5 / 2],
    ] as const) {
      expect(meetsSkip(rule, skipAt, 5.5)).toBe(false);
      expect(meetsSkip(rule, skipAt + 0.01, 5.5)).toBe(true);
      const t = thresholds(rule, 5.5);
      for (let w = 0; w <= 5.5; w += 0.05) {
        expect(passes(t, w)).toBe(meetsQuorum(rule, w, 5.5));
        expect(w > t.skip).toBe(meetsSkip(rule, w, 5.5));
      }
    }
    // Classic's ">= 2/3": exactly 2/3 passes, a hair less does not.
    expect(passes(thresholds(CLASSIC, 3), 2)).toBe(true);
    expect(passes(thresholds(CLASSIC, 3), 1.99)).toBe(false);
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
    expect(bft).toHaveLength(1);
    expect(bft[0]).toMatchObject({
      outcome: 'no_decision',
      quorum: 2,
      quorum_rule: 'more_than',
    });
    expect(bft[0]?.reason).toMatch(/faulty weight 1 of 3 is over the 1\/3/);
  });

  it('bft: invalid and malformed proposals are evidence when broadcast, never committed, and jail their sender', () => {
    const cfg = config({
      protocol: 'bft',
      byzantineRate: 1,
      adversary: 'original',
      scenario: scenario('byz', [
        { type: 'inject', agent: 'beta', fault: 'byzantine', durationMs: 600_000 },
        { type: 'rounds', count: 8, job: 'data-analytics' },
      ]),
    });
    const events = collect(cfg);
    const broadcasts = ofType(events, 'bft_propose').filter((p) => p.proposer === 'beta');
    expect(broadcasts.length).toBeGreaterThan(0);
    for (const b of broadcasts) expect(b.valid).toBe(false);
    const evidence = ofType(events, 'evidence');
    expect(evidence.length).toBeGreaterThan(0);
    for (const e of evidence) {
      expect(e.agent).toBe('beta');
      expect(['invalid_proposal', 'malformed_proposal']).toContain(e.kind);
    }
    const [jail] = ofType(events, 'jail');
    expect(jail).toMatchObject({ agent: 'beta', until_height: (jail?.round ?? 0) + 10 });
    // Jailed from the next height on: beta is not asked, and the set's total drops to 4.3.
    for (const d of ofType(events, 'decision')) {
      expect(d.unsafe).toBe(false);
      if (d.outcome === 'committed') expect(d.valid).toBe(true);
      if (d.round > (jail?.round ?? 99))
        expect(d).toMatchObject({ total_weight: 4.3, quorum: 2.87 });
    }
    const later = ofType(events, 'proposal').filter(
      (p) => p.agent === 'beta' && p.round > (jail?.round ?? 99),
    );
    expect(later.length).toBeGreaterThan(0);
    for (const p of later) expect(p).toMatchObject({ status: 'ignored', reason: 'jailed' });
  });

  it('bft with no valid proposal at all ends the height with no decision and says why', () => {
    const cfg = config({
      protocol: 'bft',
      nodes: [{ id: 'n6', name: 'Storage-01', cpus: 16, ramGb: 64, gpus: 0, type: 'storage' }],
      scenario: scenario('none-valid', [{ type: 'rounds', count: 1, job: 'ai-training' }]),
    });
    const events = collect(cfg);
    for (const c of ofType(events, 'candidate')) expect(c.valid).toBe(false);
    for (const p of ofType(events, 'prevote')) expect(p.value).toBeNull();
    const [d] = ofType(events, 'decision');
    expect(d).toMatchObject({ outcome: 'no_decision', node_id: null, valid: null, unsafe: false });
    expect(d?.reason).toMatch(/no replica committed within 5 rounds/);
  });

  it('bft moves to the next round and proposer on a timeout, up to its bound, then gives up', () => {
    // beta and delta crashed (2.2 of 5.5, over 1/3): no round can gather 2f+1 precommits.
    const cfg = config({
      protocol: 'bft',
      scenario: scenario('retry', [
        { type: 'inject', agent: 'beta', fault: 'crash', durationMs: 600_000 },
        { type: 'inject', agent: 'delta', fault: 'crash', durationMs: 600_000 },
        { type: 'rounds', count: 1, job: 'ai-training' },
      ]),
    });
    const events = collect(cfg);
    const decisions = ofType(events, 'decision');
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ outcome: 'no_decision', faulty_weight: 2.2 });
    expect(decisions[0]?.reason).toMatch(/faulty weight 2\.2 of 5\.5 is over the 1\/3/);
    // With less than 2f+1 alive nobody even gathers 2f+1 prevotes: no round ever completes.
    expect(ofType(events, 'commit')).toEqual([]);
  });

  it('bft: a crashed proposer costs one round; the next proposer in the rotation commits', () => {
    // alpha (1.3, the heaviest) proposes first; crashed, it proposes nothing.
    const events = collect(
      config({
        protocol: 'bft',
        scenario: scenario('crashed-proposer', [
          { type: 'inject', agent: 'alpha', fault: 'crash', durationMs: 600_000 },
          { type: 'rounds', count: 1, job: 'ai-training' },
        ]),
      }),
    );
    expect(ofType(events, 'timeout').filter((t) => t.step === 'propose').length).toBe(4);
    expect(ofType(events, 'retry').map((r) => r.attempt)).toEqual([0]);
    expect(ofType(events, 'bft_propose').map((p) => [p.attempt, p.proposer])).toEqual([
      [1, 'beta'],
    ]);
    expect(ofType(events, 'decision')[0]).toMatchObject({
      outcome: 'committed',
      attempt: 1,
      proposer: 'beta',
      rounds_used: 2,
    });
  });
});
