// Properties of the replicated bft (issue 7) over random schedules of faults, partitions, network
// delays and loss, adversaries and weights. fast-check prints the seed and the shrunk schedule
// on failure; rerun one with fc.assert(..., { seed, path }).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_JOBS, DEFAULT_NODES } from '../../src/core/catalogue.js';
import type { HybridEvent } from '../../src/core/events.js';
import type { ScenarioStep } from '../../src/core/scenario.js';
import type { CoreConfig } from '../../src/core/state.js';
import {
  ADVERSARIES,
  type Adversary,
  type AgentSpec,
  type FaultKind,
} from '../../src/core/types.js';
import { checkValidity } from '../../src/core/validity.js';
import { collect, collectMax, config, ofType } from './helpers.js';

const SPECIALTIES = ['gpu', 'memory', 'compute', 'storage', 'network'];
const JOB_IDS = DEFAULT_JOBS.map((j) => j.id);
const jobById = new Map(DEFAULT_JOBS.map((j) => [j.id, j]));
const WITH_PARTITION: FaultKind[] = ['crash', 'slow', 'partition'];
const NO_PARTITION: FaultKind[] = ['crash', 'slow'];

interface PlanOptions {
  /** Honest agents may be partitioned (safety) or not (liveness). */
  partitions: boolean;
  /** Per-link loss (safety) or a lossless network (liveness). */
  loss: boolean;
  quorum: number | null;
  /** Every byzantine agent equivocates, every time (the fork search). */
  forceEquivocate?: boolean;
}

/** A run: weights, a byzantine set under 1/3 of the weight, and a schedule of honest faults. */
const planArb = (o: PlanOptions): fc.Arbitrary<CoreConfig> =>
  fc
    .record({
      seed: fc.integer({ min: 1, max: 0x7fffffff }),
      weights: fc.array(fc.integer({ min: 5, max: 20 }), { minLength: 4, maxLength: 7 }),
      byzPicks: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
      adversaries: fc.array(fc.constantFrom<Adversary>(...ADVERSARIES), {
        minLength: 7,
        maxLength: 7,
      }),
      rate: fc.integer({ min: 0, max: 100 }),
      scripted: fc.boolean(),
      minDelay: fc.integer({ min: 0, max: 300 }),
      jitter: fc.integer({ min: 0, max: 400 }),
      loss: o.loss ? fc.integer({ min: 0, max: 30 }) : fc.constant(0),
      honestFaults: fc.array(
        fc.record({
          agent: fc.nat(6),
          kind: fc.constantFrom<FaultKind>(...(o.partitions ? WITH_PARTITION : NO_PARTITION)),
          atHeight: fc.nat(3),
          durationMs: fc.integer({ min: 500, max: 40_000 }),
        }),
        { maxLength: 4 },
      ),
      jobs: fc.array(fc.constantFrom(...JOB_IDS), { minLength: 2, maxLength: 4 }),
      noise: fc.constantFrom(0, 0, 0.3),
    })
    .map((r) => {
      const agents: AgentSpec[] = r.weights.map((w, i) => ({
        id: `a${i}`,
        name: `Agent-${i}`,
        specialty: SPECIALTIES[i % SPECIALTIES.length] as string,
        weight: w / 10,
      }));
      const total = agents.reduce((s, a) => s + a.weight, 0);
      // Byzantine: a subset, in agent order, whose weight stays strictly under 1/3.
      const byzantine: { id: string; adversary: Adversary }[] = [];
      let bw = 0;
      agents.forEach((a, i) => {
        if (r.byzPicks[i] && (bw + a.weight) * 3 < total - 1e-9) {
          byzantine.push({
            id: a.id,
            adversary: o.forceEquivocate ? 'equivocate' : (r.adversaries[i] ?? 'equivocate'),
          });
          bw += a.weight;
        }
      });
      const byzIds = new Set(byzantine.map((b) => b.id));
      const steps: ScenarioStep[] = [{ type: 'protocol', protocol: 'bft' }];
      for (const b of byzantine)
        steps.push({
          type: 'inject',
          agent: b.id,
          fault: 'byzantine',
          durationMs: 3_600_000,
          adversary: b.adversary,
          ...(r.scripted || o.forceEquivocate ? { scripted: true } : {}),
        });
      r.jobs.forEach((job, height) => {
        for (const f of r.honestFaults) {
          const agent = agents[f.agent % agents.length]?.id ?? 'a0';
          if (f.atHeight === height && !byzIds.has(agent))
            steps.push({ type: 'inject', agent, fault: f.kind, durationMs: f.durationMs });
        }
        steps.push({ type: 'rounds', count: 1, job });
      });
      return config({
        seed: r.seed,
        agents,
        protocol: 'bft',
        byzantineRate: r.rate / 100,
        quorum: o.quorum,
        offlineNoise: r.noise,
        network: { minDelayMs: r.minDelay, maxDelayMs: r.minDelay + r.jitter, loss: r.loss / 100 },
        scenario: { name: 'bft-property', description: 'random schedule', steps },
      });
    });

/** Agents byzantine at any time in the run: the rest are honest. */
function byzantineIds(events: readonly HybridEvent[]): Set<string> {
  return new Set(
    ofType(events, 'fault')
      .filter((f) => f.kind === 'byzantine')
      .map((f) => f.agent),
  );
}

/** Per height: what each honest replica committed, from the commit events themselves. */
function honestCommits(events: readonly HybridEvent[]): Map<number, Map<string, string>> {
  const byz = byzantineIds(events);
  const out = new Map<number, Map<string, string>>();
  for (const c of ofType(events, 'commit')) {
    if (byz.has(c.agent)) continue;
    let h = out.get(c.round);
    if (!h) out.set(c.round, (h = new Map()));
    h.set(c.agent, c.node_id);
  }
  return out;
}

describe('bft agreement and validity with byzantine weight under 1/3', () => {
  it('no two honest replicas commit different nodes, none commits an invalid node, none is jailed', () => {
    let commits = 0;
    fc.assert(
      fc.property(planArb({ partitions: true, loss: true, quorum: null }), (cfg) => {
        const events = collect(cfg);
        expect(events.at(-1)?.type).toBe('summary');
        const jobs = new Map(ofType(events, 'round_start').map((r) => [r.round, r.job.id]));
        for (const [height, replicas] of honestCommits(events)) {
          const nodes = new Set(replicas.values());
          expect(nodes.size, `height ${height}: ${JSON.stringify([...replicas])}`).toBe(1);
          const job = jobById.get(jobs.get(height) ?? '');
          for (const n of nodes) {
            commits++;
            expect(job && checkValidity(job, n, DEFAULT_NODES).valid, `${n} for ${job?.id}`).toBe(
              true,
            );
          }
        }
        for (const d of ofType(events, 'decision')) {
          expect(d.fork).toBe(false);
          expect(d.unsafe).toBe(false);
        }
        // Crashed, slow and cut-off agents are never accused, let alone jailed.
        const byz = byzantineIds(events);
        for (const e of [...ofType(events, 'evidence'), ...ofType(events, 'jail')])
          expect(byz.has(e.agent), JSON.stringify(e)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(commits).toBeGreaterThan(200);
  });
});

describe('bft liveness with byzantine weight under 1/3 and no partition', () => {
  it('every height whose faulty weight is under 1/3 of the validators commits within its round bound', () => {
    let qualifying = 0;
    fc.assert(
      fc.property(planArb({ partitions: false, loss: false, quorum: null }), (cfg) => {
        const events = collect(cfg);
        for (const d of ofType(events, 'decision')) {
          if ((d.faulty_weight ?? 0) * 3 >= d.total_weight - 1e-9) continue;
          qualifying++;
          expect(d, `height ${d.round}`).toMatchObject({ outcome: 'committed', valid: true });
          expect(d.rounds_used).toBeLessThanOrEqual(5);
        }
      }),
      { numRuns: 300 },
    );
    expect(qualifying).toBeGreaterThan(150);
  });
});

describe('bft determinism', () => {
  it('the same seed and schedule give the same event log, byte for byte (real-time and --speed max)', async () => {
    await fc.assert(
      fc.asyncProperty(planArb({ partitions: true, loss: true, quorum: null }), async (cfg) => {
        const a = JSON.stringify(collect(cfg));
        expect(JSON.stringify(collect(cfg))).toBe(a);
        expect(JSON.stringify(await collectMax(cfg))).toBe(a);
      }),
      { numRuns: 40 },
    );
  });
});

describe('the converse: the tests can see a fork', () => {
  it('at quorum 1/2 the generator finds a schedule where honest replicas commit different nodes', () => {
    const noFork = fc.property(
      planArb({ partitions: false, loss: false, quorum: 0.5, forceEquivocate: true }),
      (cfg) => {
        for (const replicas of honestCommits(collect(cfg)).values())
          if (new Set(replicas.values()).size > 1) return false;
        return true;
      },
    );
    const result = fc.check(noFork, { numRuns: 300, seed: 7 });
    expect(result.failed).toBe(true);
  });
});
