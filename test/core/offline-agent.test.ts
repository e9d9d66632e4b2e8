import { describe, expect, it } from 'vitest';
import {
  offlineAnswer,
  offlinePropose,
  offlineVote,
  renderAnswer,
} from '../../src/agents/offline.js';
import { DEFAULT_AGENTS, DEFAULT_JOBS, DEFAULT_NODES } from '../../src/core/catalogue.js';
import type { JobSpec, NodeSpec, VoteRequest } from '../../src/core/types.js';
import { checkValidity } from '../../src/core/validity.js';
import { collect, config, ofType, scenario } from './helpers.js';

const ALL_JOBS = DEFAULT_JOBS.map((j) => j.id);
const ORIGINAL_JOBS = ['ai-training', 'data-analytics', 'ml-pipeline'];
const nodeById = new Map(DEFAULT_NODES.map((n) => [n.id, n]));
const jobById = new Map(DEFAULT_JOBS.map((j) => [j.id, j]));

describe('offline specialist agent in healthy rounds', () => {
  for (const protocol of ['classic', 'bft'] as const) {
    it(`every built-in job commits a valid node under ${protocol} (the original's fallback: 0/3)`, () => {
      for (const seed of [1, 2, 3, 42]) {
        const events = collect(
          config({
            seed,
            protocol,
            scenario: scenario('all-jobs', [{ type: 'rounds', count: ALL_JOBS.length }], {
              jobMix: ALL_JOBS,
            }),
          }),
        );
        const rounds = ofType(events, 'round_start');
        expect(rounds.map((r) => r.job.id)).toEqual(ALL_JOBS);
        const decisions = ofType(events, 'decision');
        expect(decisions).toHaveLength(ALL_JOBS.length); // no retries needed
        for (const [i, d] of decisions.entries()) {
          const job = jobById.get(rounds[i]?.job.id ?? '') as JobSpec;
          expect(d, `${protocol} seed ${seed} ${job.id}`).toMatchObject({
            outcome: 'committed',
            valid: true,
            unsafe: false,
          });
          // classic: every vote; bft: the precommits sent (a replica that sees 2f+1 first
          // commits without sending its own).
          if (protocol === 'classic') expect(d.accept_weight).toBe(5.5);
          else expect(d.accept_weight * 3).toBeGreaterThan(5.5 * 2);
          expect(checkValidity(job, d.node_id, DEFAULT_NODES).valid).toBe(true);
        }
        const summary = ofType(events, 'summary')[0];
        expect(summary).toMatchObject({
          committed: ALL_JOBS.length,
          no_decision: 0,
          invalid_commits: 0,
        });
        // classic: 5 proposals + 5 votes a round. bft: 5 proposals, and a judgement by each
        // replica that prevotes before 2f+1 precommits let it commit without one.
        if (protocol === 'classic')
          expect(summary?.calls).toEqual({ llm: 0, fallback: 0, offline: ALL_JOBS.length * 10 });
        else {
          expect(summary?.calls.offline).toBeGreaterThan(ALL_JOBS.length * 8);
          expect(summary?.calls.offline).toBeLessThanOrEqual(ALL_JOBS.length * 10);
        }
      }
    });
  }

  it('the three scenarios of the original all reach consensus offline (3/3)', () => {
    const events = collect(
      config({
        scenario: scenario('orig', [{ type: 'rounds', count: 3 }], { jobMix: ORIGINAL_JOBS }),
      }),
    );
    expect(ofType(events, 'decision').map((d) => [d.outcome, d.valid])).toEqual([
      ['committed', true],
      ['committed', true],
      ['committed', true],
    ]);
  });

  it('every offline call is labelled offline, never passed off as a model', () => {
    const events = collect(config({ scenario: scenario('one', [{ type: 'rounds', count: 1 }]) }));
    for (const e of [...ofType(events, 'llm_request'), ...ofType(events, 'llm_response')]) {
      expect(e.source).toBe('offline');
    }
    expect(ofType(events, 'run_start')[0]).toMatchObject({ mode: 'offline', model: null });
  });
});

describe('offline reasoning is built from facts', () => {
  it('each proposal names its node and the numbers that meet each requirement', () => {
    for (const job of DEFAULT_JOBS) {
      for (const agent of DEFAULT_AGENTS) {
        const p = offlinePropose(agent.specialty, job, DEFAULT_NODES);
        const node = nodeById.get(p.nodeId) as NodeSpec;
        expect(node, `${agent.id} ${job.id}`).toBeDefined();
        expect(checkValidity(job, p.nodeId, DEFAULT_NODES).valid).toBe(true);
        const r = job.requirements;
        expect(p.reasoning.startsWith(`${node.id}: `)).toBe(true);
        expect(p.reasoning).toContain(`${node.cpus} CPUs >= ${r.minCpus}`);
        expect(p.reasoning).toContain(`${node.ramGb} GB >= ${r.minRamGb} GB`);
        if (r.minGpus > 0)
          expect(p.reasoning).toContain(`${node.gpus} GPUs >= ${r.minGpus} required`);
        else expect(p.reasoning).not.toContain('GPUs');
        if (node.type === job.preferredType)
          expect(p.reasoning).toContain(`type ${node.type} matches`);
        // Honest scores stay below the byzantine 1.0 claim.
        expect(p.score).toBeGreaterThan(0);
        expect(p.score).toBeLessThanOrEqual(0.95);
      }
    }
  });

  it('the GPU specialist proposes n1 for AI training with "4 GPUs >= 4 required"', () => {
    const job = jobById.get('ai-training') as JobSpec;
    const p = offlinePropose('gpu', job, DEFAULT_NODES);
    expect(p.nodeId).toBe('n1');
    expect(p.reasoning).toMatch(/^n1: 4 GPUs >= 4 required/);
  });

  it('with no valid node it says so and proposes the closest with a low score', () => {
    const job = jobById.get('ai-training') as JobSpec;
    const nodes = DEFAULT_NODES.filter((n) => n.gpus === 0);
    const p = offlinePropose('gpu', job, nodes);
    expect(p.score).toBeLessThan(0.5);
    expect(p.reasoning).toMatch(/no node meets the requirements/);
  });

  const voteReq = (nodeId: string, summaryOnly: boolean, score = 0.9): VoteRequest => ({
    kind: 'vote',
    agent: DEFAULT_AGENTS[0] as (typeof DEFAULT_AGENTS)[number],
    job: jobById.get('ai-training') as JobSpec,
    nodes: [...DEFAULT_NODES],
    protocol: summaryOnly ? 'classic' : 'bft',
    candidate: {
      nodeId,
      score,
      proposer: 'beta',
      supporters: [{ agent: 'beta', score, reasoning: 'x' }],
    },
    summaryOnly,
  });

  it('a bft voter checks the candidate against the inventory and explains its verdict', () => {
    const ok = offlineVote(voteReq('n2', false));
    expect(ok).toMatchObject({ vote: 'accept' });
    expect(ok.reasoning).toMatch(/^n2: 4 GPUs >= 4 required.*backed by 1 proposal$/);
    const fake = offlineVote(voteReq('n999', false, 1));
    expect(fake).toMatchObject({ vote: 'reject', reasoning: 'n999 is not in the cluster' });
    const wrong = offlineVote(voteReq('n6', false));
    expect(wrong).toMatchObject({ vote: 'reject', reasoning: 'n6: 0 GPUs < 4 required' });
  });

  it('a classic voter sees only the summary line, so a confident fake node is accepted (the original flaw)', () => {
    expect(offlineVote(voteReq('n999', true, 1))).toMatchObject({ vote: 'accept' });
    expect(offlineVote(voteReq('n999', true, 0.3))).toMatchObject({ vote: 'reject' });
  });

  it('answers are deterministic and render to the JSON a model would have sent', () => {
    const req = {
      kind: 'propose' as const,
      agent: DEFAULT_AGENTS[2] as (typeof DEFAULT_AGENTS)[number],
      job: jobById.get('cfd-simulation') as JobSpec,
      nodes: [...DEFAULT_NODES],
      protocol: 'bft' as const,
    };
    const a = offlineAnswer(req);
    expect(offlineAnswer(req)).toEqual(a);
    const parsed = JSON.parse(renderAnswer(a)) as Record<string, unknown>;
    expect(parsed).toEqual({
      node_id: 'n5',
      score: (a as { score: number }).score,
      reasoning: (a as { reasoning: string }).reasoning,
    });
    const v = offlineAnswer(voteReq('n1', false));
    expect(Object.keys(JSON.parse(renderAnswer(v)) as object)).toEqual([
      'vote',
      'confidence',
      'reasoning',
    ]);
  });
});
