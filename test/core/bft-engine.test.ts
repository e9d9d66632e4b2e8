// The replicated bft through the engine: proposer rotation, jailing (evidence, cap, release),
// adversaries and decision quality, and the tour's lessons for every seed.
import { describe, expect, it } from 'vitest';
import { ProposerPriority, powerOf } from '../../src/core/bft/proposer.js';
import { DEFAULT_AGENTS, DEFAULT_JOBS, DEFAULT_NODES } from '../../src/core/catalogue.js';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario.js';
import type { Adversary } from '../../src/core/types.js';
import { rankValid } from '../../src/core/utility.js';
import { offlinePropose } from '../../src/agents/offline.js';
import { seedPrng } from '../../src/core/prng.js';
import type { HybridEvent } from '../../src/core/events.js';
import type { AskEffect } from '../../src/core/io.js';
import type { CallHost } from '../../src/runtime/calls.js';
import {
  collect,
  config,
  FakeClock,
  makeRuntime,
  ofType,
  QuietOfflineCalls,
  runWithCommands,
  scenario,
} from './helpers.js';

describe("CometBFT's weighted round-robin proposer", () => {
  const validators = DEFAULT_AGENTS.map((a, order) => ({
    id: a.id,
    order,
    power: powerOf(a.weight),
  }));

  it('over 55 heights each agent proposes round 0 in proportion to its weight (13:12:11:10:9)', () => {
    const pp = new ProposerPriority();
    const counts = new Map<string, number>();
    for (let h = 0; h < 55; h++) {
      const first = pp.nextHeight(validators, 5)[0] ?? '';
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({
      alpha: 13,
      beta: 12,
      gamma: 11,
      delta: 10,
      epsilon: 9,
    });
  });

  it("within a height the rounds' proposers rotate (no agent twice in a row)", () => {
    const rounds = new ProposerPriority().nextHeight(validators, 5);
    expect(new Set(rounds).size).toBe(5);
    expect(rounds[0]).toBe('alpha');
  });
});

/** Beta equivocates (it lies low until it proposes) for the whole run. */
const equivocating = (agent: string, adversary: Adversary = 'equivocate') => ({
  type: 'inject' as const,
  agent,
  fault: 'byzantine' as const,
  durationMs: 3_600_000,
  adversary,
  scripted: true,
});

describe('the candidate a vote is asked about', () => {
  it('lists its supporters in agent order, whatever order their proposals arrived in', () => {
    const events = collect(
      config({ protocol: 'bft', scenario: scenario('supporters', [{ type: 'rounds', count: 6 }]) }),
    );
    const ids = DEFAULT_AGENTS.map((a) => a.id);
    let shuffled = 0;
    for (let round = 1; round <= 6; round++) {
      const arrived = ofType(events, 'proposal')
        .filter((e) => e.round === round)
        .map((e) => e.agent);
      if (arrived.join() !== ids.filter((id) => arrived.includes(id)).join()) shuffled++;
      const prompt = ofType(events, 'llm_request').find(
        (e) => e.round === round && e.phase === 'vote',
      )?.prompt;
      const listed = [...(prompt ?? '').matchAll(/^- (\w+): score /gm)].map((m) => m[1]);
      expect(listed.length).toBeGreaterThan(1);
      expect(listed).toEqual(ids.filter((id) => listed.includes(id)));
    }
    // The proposals really did arrive out of agent order (the models think for random times).
    expect(shuffled).toBeGreaterThan(0);
  });
});

describe('jailing', () => {
  it('evidence jails the sender from the next height, its weight leaves the total, and the term runs out', () => {
    const events = collect(
      config({
        protocol: 'bft',
        jailHeights: 2,
        scenario: scenario('jail', [
          equivocating('alpha'),
          { type: 'rounds', count: 6, job: 'data-analytics' },
        ]),
      }),
    );
    const [jail] = ofType(events, 'jail');
    expect(jail).toMatchObject({ agent: 'alpha', evidence: 'equivocation' });
    const h = jail?.round ?? 0;
    expect(jail?.until_height).toBe(h + 2);
    const decisions = ofType(events, 'decision');
    const total = (round: number) => decisions.find((d) => d.round === round)?.total_weight;
    expect(total(h)).toBe(5.5);
    expect(total(h + 1)).toBe(4.2);
    expect(total(h + 2)).toBe(4.2);
    const [release] = ofType(events, 'release');
    expect(release).toMatchObject({ agent: 'alpha', by: 'timer' });
    expect(total(h + 3)).toBe(5.5);
    // Jailed, it is not asked to propose.
    expect(
      ofType(events, 'proposal').filter((p) => p.agent === 'alpha' && p.round === h + 1),
    ).toMatchObject([{ status: 'ignored', reason: 'jailed' }]);
    // Each proposal tells the live tally the height's figures, before the decision does.
    const proposals = ofType(events, 'bft_propose');
    expect(proposals.length).toBeGreaterThanOrEqual(decisions.length);
    for (const p of proposals) {
      const d = decisions.find((x) => x.round === p.round);
      expect(p, `height ${p.round}`).toMatchObject({
        total_weight: d?.total_weight,
        quorum: d?.quorum,
      });
    }
    expect(proposals.find((p) => p.round === h + 1)).toMatchObject({
      total_weight: 4.2,
      quorum: 2.8,
    });
  });

  it('a cap keeps the jailed weight under 1/3: the second equivocator stays in the set', () => {
    // alpha 1.3 + beta 1.2 = 2.5 >= 1.83: jailing both would stall the cluster.
    const events = collect(
      config({
        protocol: 'bft',
        quorum: 0.5,
        scenario: scenario('cap', [
          equivocating('alpha'),
          equivocating('beta'),
          { type: 'rounds', count: 6, job: 'data-analytics' },
        ]),
      }),
    );
    const accused = new Set(ofType(events, 'evidence').map((e) => e.agent));
    expect(accused).toEqual(new Set(['alpha', 'beta']));
    expect(ofType(events, 'jail').map((j) => j.agent)).toHaveLength(1);
    for (const d of ofType(events, 'decision'))
      expect((d.jailed_weight ?? 0) * 3).toBeLessThan(5.5);
  });

  it('a user command releases a jailed agent at once', () => {
    const cfg = config({
      protocol: 'bft',
      scenario: scenario('release', [
        equivocating('alpha'),
        { type: 'rounds', count: 3, job: 'data-analytics' },
        { type: 'recover', agent: 'alpha' },
        { type: 'wait_recovery', maxMs: 1 },
        { type: 'rounds', count: 2, job: 'data-analytics' },
      ]),
    });
    const jailedAt = ofType(collect(cfg), 'jail')[0]?.t ?? 0;
    expect(jailedAt).toBeGreaterThan(0);
    const events = runWithCommands(cfg, [
      { at: jailedAt + 1, command: { type: 'release', agent: 'alpha' } },
    ]);
    expect(ofType(events, 'release')).toMatchObject([{ agent: 'alpha', by: 'user' }]);
    const last = ofType(events, 'decision').at(-1);
    expect(last).toMatchObject({ total_weight: 5.5, jailed_weight: 0 });
  });
});

describe('adversaries and decision quality', () => {
  const run = (adversary: Adversary | null, seed = 3) =>
    collect(
      config({
        seed,
        protocol: 'bft',
        scenario: scenario('quality', [
          ...(adversary ? [equivocating('alpha', adversary)] : []),
          { type: 'rounds', count: 10, job: 'batch-etl' },
        ]),
      }),
    );

  it('strategic colluders steer commits to the most wasteful valid node: valid, with regret', () => {
    const wasteful = rankValid(
      DEFAULT_JOBS.find((j) => j.id === 'batch-etl') ?? (DEFAULT_JOBS[0] as never),
      DEFAULT_NODES,
    ).at(-1);
    const decisions = ofType(run('strategic'), 'decision');
    const steered = decisions.filter((d) => d.node_id === wasteful?.nodeId);
    expect(steered.length).toBeGreaterThan(0);
    for (const d of steered)
      expect(d).toMatchObject({ valid: true, unsafe: false, best_node_id: 'n5' });
    for (const d of steered) expect(d.regret).toBeGreaterThan(0.5);
    // Without the adversary the same heights commit the best node.
    for (const d of ofType(run(null), 'decision'))
      expect(d).toMatchObject({ node_id: 'n5', regret: 0 });
  });

  it('silent agents never propose nor accept: they cost liveness only when they propose', () => {
    const events = run('silent');
    expect(ofType(events, 'bft_propose').some((p) => p.proposer === 'alpha')).toBe(false);
    for (const p of ofType(events, 'prevote').filter((x) => x.agent === 'alpha'))
      expect(p.value).toBeNull();
    expect(ofType(events, 'evidence')).toEqual([]);
    for (const d of ofType(events, 'decision')) expect(d.outcome).toBe('committed');
  });

  it('--offline-noise makes honest agents propose valid nodes other than their best, reproducibly', () => {
    const job = DEFAULT_JOBS.find((j) => j.id === 'feature-store');
    if (!job) throw new Error('feature-store');
    const best = offlinePropose('memory', job, DEFAULT_NODES).nodeId;
    const rng = seedPrng(9);
    const picks = Array.from(
      { length: 200 },
      () => offlinePropose('memory', job, DEFAULT_NODES, { p: 0.5, rng }).nodeId,
    );
    const off = picks.filter((n) => n !== best).length;
    expect(off).toBeGreaterThan(70);
    expect(off).toBeLessThan(130);
    const valid = new Set(rankValid(job, DEFAULT_NODES).map((r) => r.nodeId));
    for (const n of picks) expect(valid.has(n)).toBe(true);
    const again = seedPrng(9);
    expect(
      Array.from(
        { length: 200 },
        () => offlinePropose('memory', job, DEFAULT_NODES, { p: 0.5, rng: again }).nodeId,
      ),
    ).toEqual(picks);
  });
});

describe('the tour shows its lessons for every seed', () => {
  const tour = BUILTIN_SCENARIOS['tour'];
  it('classic commits n999 flagged UNSAFE; bft refuses it; 1/2 forks; 2/3 does not', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const events = collect(config({ seed, scenario: tour }));
      const sections = ofType(events, 'section');
      const sectionOf = (t: number) => sections.filter((s) => s.t <= t).at(-1)?.index ?? 0;
      const decisions = ofType(events, 'decision');
      const inSection = (i: number) => decisions.filter((d) => sectionOf(d.t) === i);
      const attack = inSection(2);
      expect(attack.length, `seed ${seed}`).toBe(2);
      for (const d of attack)
        expect(d, `seed ${seed}`).toMatchObject({ node_id: 'n999', unsafe: true });
      for (const d of decisions.filter((d) => d.protocol === 'bft'))
        expect(d.unsafe, `seed ${seed}`).toBe(false);
      expect(
        inSection(6).some((d) => d.fork),
        `seed ${seed}: a fork at 1/2`,
      ).toBe(true);
      // The fork needs no byzantine majority: alpha alone (1.3 of 5.5) is byzantine there; the
      // cut-off replicas are faulty (for liveness), not byzantine (for safety).
      for (const d of inSection(6))
        expect(d, `seed ${seed}`).toMatchObject({ byzantine_weight: 1.3, faulty_weight: 3.6 });
      expect(
        inSection(7).some((d) => d.fork),
        `seed ${seed}: none at 2/3`,
      ).toBe(false);
      // ...although alpha made the same equivocating proposal there too.
      const split = ofType(events, 'bft_propose').filter((p) => {
        const sent = new Set(Object.values(p.sent));
        return sectionOf(p.t) === 7 && p.proposer === 'alpha' && sent.has('n3') && sent.has('n4');
      });
      expect(split.length, `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it('says when a scenario step sets the quorum, and the heights after it use it', () => {
    const events = collect(config({ seed: 1, scenario: tour }));
    const changes = ofType(events, 'quorum');
    expect(changes).toMatchObject([
      { quorum: 0.5, by: 'scenario' },
      { quorum: null, by: 'scenario' },
    ]);
    const [half, back] = changes;
    const decisions = ofType(events, 'decision');
    const between = decisions.filter((d) => d.t > (half?.t ?? 0) && d.t < (back?.t ?? 0));
    expect(between.length).toBeGreaterThan(0);
    for (const d of between) expect(d).toMatchObject({ quorum_fraction: 0.5 });
    for (const d of decisions.filter((d) => d.t > (back?.t ?? 0) && d.protocol === 'bft'))
      expect(d).toMatchObject({ quorum_fraction: 0.6667, quorum_rule: 'more_than' });
  });
});

/** Offline models, except that `fooled` hallucinate n999 and every model accepts anything. */
class GullibleCalls extends QuietOfflineCalls {
  constructor(private readonly fooled: Set<string>) {
    super();
  }
  override start(ask: AskEffect, host: CallHost): void {
    super.start(ask, {
      ...host,
      deliver: (callId, answer) =>
        host.deliver(
          callId,
          answer.kind === 'vote'
            ? { ...answer, vote: 'accept', reasoning: 'looks fine to me' }
            : this.fooled.has(ask.agent)
              ? { ...answer, nodeId: 'n999', reasoning: 'n999 is the fastest (hallucinated)' }
              : answer,
        ),
    });
  }
}

describe('validity is checked at prevote, whatever the models say', () => {
  it('honest replicas with gullible models still refuse a hallucinated node', () => {
    const cfg = config({
      protocol: 'bft',
      scenario: scenario('gullible', [{ type: 'rounds', count: 6, job: 'data-analytics' }]),
    });
    const { runtime } = makeRuntime(cfg, {
      clock: new FakeClock(),
      speed: 'max',
      calls: new GullibleCalls(new Set(['alpha', 'beta'])),
    });
    const events: HybridEvent[] = [];
    runtime.onEvent((e) => events.push(e));
    return runtime.start().then(() => {
      const proposed = ofType(events, 'bft_propose').filter((p) => p.node_id === 'n999');
      expect(proposed.length).toBeGreaterThan(0);
      // Every model said accept; V said no: nil prevotes for n999 from every replica.
      for (const p of ofType(events, 'prevote')) expect(p.value).not.toBe('n999');
      for (const d of ofType(events, 'decision')) expect(d).toMatchObject({ unsafe: false });
      expect(
        ofType(events, 'decision').filter((d) => d.outcome === 'committed').length,
      ).toBeGreaterThan(0);
    });
  });
});
