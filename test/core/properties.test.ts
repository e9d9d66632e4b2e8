// Property tests of the protocol invariants (DESIGN.md "Protocols" and "The core is a state
// machine"). fast-check prints the seed and the shrunk counterexample on failure; rerun one with
// fc.assert(..., { seed, path }).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserCommand } from '../../src/core/commands.js';
import { DEFAULT_AGENTS, DEFAULT_JOBS } from '../../src/core/catalogue.js';
import type { DecisionEvent, HybridEvent } from '../../src/core/events.js';
import { BUILTIN_SCENARIOS, type ScenarioStep } from '../../src/core/scenario.js';
import type { CoreConfig } from '../../src/core/state.js';
import type { AgentSpec, FaultKind, Protocol } from '../../src/core/types.js';
import {
  collect,
  collectMax,
  config,
  ofType,
  runWithCommands,
  type TimedCommand,
} from './helpers.js';

const KINDS: readonly FaultKind[] = ['byzantine', 'crash', 'slow'];
const JOB_IDS = DEFAULT_JOBS.map((j) => j.id);
const SPECIALTIES = ['gpu', 'memory', 'compute', 'storage', 'network'];
const MAX_AGENTS = 7;

/** A random run: agents, knobs, a scripted fault schedule and user commands at random times. */
interface Plan {
  cfg: CoreConfig;
  commands: TimedCommand[];
}

// Agent indices are drawn in 0..MAX_AGENTS-1 and folded onto the actual agent count.
type RawStep =
  | { type: 'inject'; agent: number; fault: FaultKind; durationMs: number | undefined }
  | { type: 'rounds'; count: number; job: string | undefined }
  | { type: 'recover'; agent: number }
  | { type: 'wait_recovery'; maxMs: number };

type RawCommand =
  | { type: 'inject'; agent: number; kind: FaultKind; durationMs: number | undefined }
  | { type: 'recover'; agent: number }
  | { type: 'recover_all' }
  | { type: 'toggle_protocol' };

const agentIdx = fc.nat(MAX_AGENTS - 1);
const duration = fc.option(fc.integer({ min: 500, max: 40_000 }), { nil: undefined });

const rawStep: fc.Arbitrary<RawStep> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('inject' as const),
      agent: agentIdx,
      fault: fc.constantFrom(...KINDS),
      durationMs: duration,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('rounds' as const),
      count: fc.integer({ min: 1, max: 3 }),
      job: fc.option(fc.constantFrom(...JOB_IDS), { nil: undefined }),
    }),
  },
  // MAX_AGENTS stands for "all".
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('recover' as const), agent: fc.nat(MAX_AGENTS) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('wait_recovery' as const),
      maxMs: fc.integer({ min: 1000, max: 40_000 }),
    }),
  },
);

const rawCommand = (withToggle: boolean): fc.Arbitrary<RawCommand> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        type: fc.constant('inject' as const),
        agent: agentIdx,
        kind: fc.constantFrom(...KINDS),
        durationMs: duration,
      }),
    },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('recover' as const), agent: agentIdx }) },
    { weight: 1, arbitrary: fc.constant({ type: 'recover_all' as const }) },
    {
      weight: withToggle ? 1 : 0,
      arbitrary: fc.constant({ type: 'toggle_protocol' as const }),
    },
  );

function makeAgents(weights: number[] | null): AgentSpec[] {
  if (!weights) return [...DEFAULT_AGENTS];
  return weights.map((w, i) => ({
    id: `a${i}`,
    name: `Agent-${i}`,
    specialty: SPECIALTIES[i % SPECIALTIES.length] as string,
    weight: w / 10,
  }));
}

/**
 * Agents allowed to turn byzantine: a random subset, trimmed (in agent order) until its weight is
 * under 2/3 of the total. Any other byzantine injection becomes a crash, so the byzantine weight
 * of the whole run, even summed over every agent that is ever byzantine, stays under 2/3.
 */
function byzantineAllowed(agents: AgentSpec[], picks: boolean[]): Set<string> {
  const total = agents.reduce((s, a) => s + a.weight, 0);
  const allowed = new Set<string>();
  let w = 0;
  agents.forEach((a, i) => {
    if (picks[i] && (w + a.weight) * 3 < total * 2 - 1e-9) {
      allowed.add(a.id);
      w += a.weight;
    }
  });
  return allowed;
}

const planArb = (opts: { protocol: Protocol; withToggle: boolean }): fc.Arbitrary<Plan> =>
  fc
    .record({
      seed: fc.integer({ min: 1, max: 0x7fffffff }),
      weights: fc.option(
        fc.array(fc.integer({ min: 5, max: 20 }), { minLength: 3, maxLength: MAX_AGENTS }),
        {
          nil: null,
        },
      ),
      rate: fc.integer({ min: 0, max: 100 }),
      durMin: fc.integer({ min: 1000, max: 20_000 }),
      durSpan: fc.integer({ min: 0, max: 20_000 }),
      jobMix: fc.option(fc.uniqueArray(fc.constantFrom(...JOB_IDS), { minLength: 1 }), {
        nil: undefined,
      }),
      steps: fc.array(rawStep, { maxLength: 8 }),
      commands: fc.array(
        fc.record({
          at: fc.integer({ min: 0, max: 90_000 }),
          command: rawCommand(opts.withToggle),
        }),
        { maxLength: 5 },
      ),
      byzPicks: fc.array(fc.boolean(), { minLength: MAX_AGENTS, maxLength: MAX_AGENTS }),
    })
    .map((r) => {
      const agents = makeAgents(r.weights);
      const id = (i: number) => (agents[i % agents.length] as AgentSpec).id;
      const allowed = byzantineAllowed(agents, r.byzPicks);
      const kind = (k: FaultKind, agent: string): FaultKind =>
        k === 'byzantine' && !allowed.has(agent) ? 'crash' : k;
      const steps: ScenarioStep[] = [{ type: 'protocol', protocol: opts.protocol }];
      for (const s of r.steps) {
        switch (s.type) {
          case 'inject': {
            const agent = id(s.agent);
            steps.push({
              type: 'inject',
              agent,
              fault: kind(s.fault, agent),
              durationMs: s.durationMs,
            });
            break;
          }
          case 'rounds':
            steps.push({ type: 'rounds', count: s.count, job: s.job });
            break;
          case 'recover':
            steps.push({ type: 'recover', agent: s.agent === MAX_AGENTS ? 'all' : id(s.agent) });
            break;
          case 'wait_recovery':
            steps.push(s);
            break;
        }
      }
      steps.push({ type: 'rounds', count: 2 });
      const commands: TimedCommand[] = r.commands.map(({ at, command: c }) => {
        let command: UserCommand;
        if (c.type === 'inject') {
          const agent = id(c.agent);
          command = { type: 'inject', agent, kind: kind(c.kind, agent), durationMs: c.durationMs };
        } else if (c.type === 'recover') command = { type: 'recover', agent: id(c.agent) };
        else command = c;
        return { at, command };
      });
      const cfg = config({
        seed: r.seed,
        agents,
        protocol: opts.protocol,
        byzantineRate: r.rate / 100,
        faultDurationMs: [r.durMin, r.durMin + r.durSpan],
        scenario: {
          name: 'property',
          description: 'random fault schedule',
          jobMix: r.jobMix,
          steps,
        },
      });
      return { cfg, commands };
    });

interface RoundFacts {
  round: number;
  protocol: Protocol;
  /** Agents faulty (any kind) or quarantined at any moment from round_start to the decision. */
  tainted: Set<string>;
  decision: DecisionEvent | null;
}

/** Replays the log and records, per round, who was faulty or quarantined while it was decided. */
function analyse(events: readonly HybridEvent[]): {
  rounds: RoundFacts[];
  everByzantine: Set<string>;
} {
  const faulty = new Set<string>();
  const quarantined = new Set<string>();
  const everByzantine = new Set<string>();
  const rounds: RoundFacts[] = [];
  let cur: RoundFacts | null = null;
  for (const e of events) {
    switch (e.type) {
      case 'fault':
        faulty.add(e.agent);
        if (e.kind === 'byzantine') everByzantine.add(e.agent);
        if (cur && !cur.decision) cur.tainted.add(e.agent);
        break;
      case 'recovered':
        faulty.delete(e.agent);
        break;
      case 'reputation':
        if (e.quarantined) quarantined.add(e.agent);
        else quarantined.delete(e.agent);
        break;
      case 'round_start':
        cur = {
          round: e.round,
          protocol: e.protocol,
          tainted: new Set([...faulty, ...quarantined]),
          decision: null,
        };
        rounds.push(cur);
        break;
      case 'decision':
        if (cur && e.round === cur.round) cur.decision = e;
        break;
      default:
        break;
    }
  }
  return { rounds, everByzantine };
}

const weightOf = (cfg: CoreConfig, ids: Iterable<string>): number => {
  let w = 0;
  for (const id of ids) w += cfg.agents.find((a) => a.id === id)?.weight ?? 0;
  return w;
};
const totalOf = (cfg: CoreConfig): number => cfg.agents.reduce((s, a) => s + a.weight, 0);

describe('bft safety: no invalid node is ever committed while byzantine weight < 2/3', () => {
  it('holds over random fault schedules, byzantine rates, jobs, weights and user commands', () => {
    let decisions = 0;
    fc.assert(
      fc.property(planArb({ protocol: 'bft', withToggle: true }), ({ cfg, commands }) => {
        const events = runWithCommands(cfg, commands);
        expect(events.at(-1)?.type).toBe('summary');
        const { everByzantine } = analyse(events);
        // The precondition holds by construction; checked from the log itself.
        expect(weightOf(cfg, everByzantine) * 3).toBeLessThan(totalOf(cfg) * 2);
        for (const d of ofType(events, 'decision')) {
          if (d.protocol !== 'bft') continue; // a toggle may switch some rounds to classic
          decisions++;
          expect(d.unsafe).toBe(false);
          if (d.outcome === 'committed') expect(d.valid, JSON.stringify(d)).toBe(true);
        }
        expect(ofType(events, 'summary')[0]?.invalid_commits).toBe(
          ofType(events, 'decision').filter((d) => d.outcome === 'committed' && d.valid === false)
            .length,
        );
      }),
      { numRuns: 2000 },
    );
    expect(decisions).toBeGreaterThan(4000);
  });
});

describe('bft liveness: with faulty weight under 1/3 the offline agents commit', () => {
  it('every bft height whose faulty weight stays under 1/3 of the validator set commits a valid node', () => {
    let qualifying = 0;
    fc.assert(
      fc.property(planArb({ protocol: 'bft', withToggle: false }), ({ cfg, commands }) => {
        const events = runWithCommands(cfg, commands);
        for (const r of analyse(events).rounds) {
          if (r.protocol !== 'bft' || !r.decision) continue;
          // Jailing shrinks the set: the fraction that matters is of the validators' weight.
          const total = r.decision.total_weight;
          const faulty = Math.max(r.decision.faulty_weight ?? 0, weightOf(cfg, r.tainted));
          if (faulty * 3 >= total - 1e-9) continue;
          qualifying++;
          expect(r.decision, `round ${r.round}`).toMatchObject({
            outcome: 'committed',
            valid: true,
          });
        }
      }),
      { numRuns: 700 },
    );
    expect(qualifying).toBeGreaterThan(1000);
  });
});

describe('determinism: same seed and config give the same event log, byte for byte', () => {
  it('with user commands on the simulated clock', () => {
    fc.assert(
      fc.property(planArb({ protocol: 'bft', withToggle: true }), ({ cfg, commands }) => {
        const a = JSON.stringify(runWithCommands(cfg, commands));
        const b = JSON.stringify(runWithCommands(cfg, commands));
        expect(b).toBe(a);
      }),
      { numRuns: 150 },
    );
  });

  it('at --speed max, whatever the starting protocol', async () => {
    await fc.assert(
      fc.asyncProperty(
        planArb({ protocol: 'classic', withToggle: false }),
        fc.constantFrom<Protocol>('classic', 'bft'),
        async ({ cfg }, protocol) => {
          const c = { ...cfg, protocol };
          const a = JSON.stringify(await collectMax(c));
          const b = JSON.stringify(await collectMax(c));
          expect(b).toBe(a);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('--speed max gives the same log as the real-time clock (it only skips the waiting)', async () => {
    await fc.assert(
      fc.asyncProperty(planArb({ protocol: 'bft', withToggle: false }), async ({ cfg }) => {
        expect(JSON.stringify(await collectMax(cfg))).toBe(JSON.stringify(collect(cfg)));
      }),
      { numRuns: 100 },
    );
  });

  it('a different seed gives a different log (the seed is really used)', () => {
    const run = (seed: number) =>
      JSON.stringify(collect(config({ seed, scenario: BUILTIN_SCENARIOS['tour'] })));
    expect(run(1)).not.toBe(run(2));
  });
});

describe('the attack scenario: classic commits the fake node, bft never does', () => {
  const attack = BUILTIN_SCENARIOS['attack'];
  const seeds = Array.from({ length: 200 }, (_, i) => i + 1);

  it('classic commits n999 (unsafe) for some seeds in 1..200', () => {
    const unsafeSeeds = seeds.filter((seed) =>
      ofType(collect(config({ seed, protocol: 'classic', scenario: attack })), 'decision').some(
        (d) => d.outcome === 'committed' && d.node_id === 'n999' && d.unsafe,
      ),
    );
    expect(unsafeSeeds.length).toBeGreaterThan(0);
  });

  it('bft never commits n999 nor any invalid node over the same seeds', () => {
    for (const seed of seeds) {
      for (const d of ofType(
        collect(config({ seed, protocol: 'bft', scenario: attack })),
        'decision',
      )) {
        expect(d.unsafe).toBe(false);
        if (d.outcome === 'committed') {
          expect(d.node_id).not.toBe('n999');
          expect(d.valid).toBe(true);
        }
      }
    }
  });
});
