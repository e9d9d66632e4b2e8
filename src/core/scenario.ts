// Scenario scripts: what the core runs, step by step. Built-ins mirror the original demo's three
// scenarios and add the cases the original could not show.
import type { Adversary, FaultKind, Protocol } from './types.js';

export type ScenarioStep =
  | { type: 'section'; title: string; caption?: string }
  | {
      type: 'inject';
      agent: string;
      fault: FaultKind;
      durationMs?: number;
      /** partition: the agents cut off together (agent is one of them). */
      group?: string[];
      /** partition: agents that stay linked to both sides. */
      bridge?: string[];
      adversary?: Adversary;
      /** Corrupt every time (not with probability byzantineRate): a lesson that shows in every seed. */
      scripted?: boolean;
    }
  | { type: 'quorum'; quorum: number | null }
  | { type: 'release'; agent: string | 'all' }
  | { type: 'adversary'; adversary: Adversary | null }
  | { type: 'recover'; agent: string | 'all' }
  | { type: 'rounds'; count: number; job?: string }
  | { type: 'wait_recovery'; maxMs: number }
  | { type: 'protocol'; protocol: Protocol };

export interface ScenarioSpec {
  name: string;
  description: string;
  /** Jobs used by `rounds` steps without a job, by --rounds and by free play, in turn. */
  jobMix?: string[];
  /** Chance per round of a random fault on a healthy agent (the `chaos` scenario). */
  chaosRate?: number;
  adversary?: Adversary;
  quorum?: number;
  steps: ScenarioStep[];
}

const sec = (title: string, caption?: string): ScenarioStep =>
  caption === undefined ? { type: 'section', title } : { type: 'section', title, caption };

const ATTACK_BETA: ScenarioStep = {
  type: 'inject',
  agent: 'beta',
  fault: 'byzantine',
  durationMs: 25_000,
  adversary: 'original',
  scripted: true,
};

const EQUIVOCATOR: ScenarioStep = {
  type: 'inject',
  agent: 'alpha',
  fault: 'byzantine',
  durationMs: 600_000,
  adversary: 'equivocate',
  scripted: true,
};

const SPLIT: ScenarioStep = {
  type: 'inject',
  agent: 'beta',
  fault: 'partition',
  durationMs: 600_000,
  group: ['beta', 'gamma'],
  bridge: ['alpha'],
};

/** Heights in each quorum section: enough for the weighted rotation to make alpha propose. */
const FORK_HEIGHTS = 4;

export const BUILTIN_SCENARIOS: Record<string, ScenarioSpec> = {
  tour: {
    name: 'tour',
    description:
      'healthy baseline, attack under classic, the same attack under bft, recovery, then why the quorum is 2/3',
    steps: [
      sec(
        'healthy baseline',
        'Five specialists propose a node, then vote on one candidate. With no faults the accept weight clears the 2/3 quorum: a valid node is committed.',
      ),
      { type: 'protocol', protocol: 'classic' },
      { type: 'rounds', count: 1, job: 'ai-training' },
      sec(
        'attack (classic)',
        'Beta-Memory turns byzantine, Delta-Storage crashes. Watch Beta-Memory in the tally: classic trusts its count and commits the fake node n999.',
      ),
      // Scripted, not drawn: the fake node and a blind accept every time, so the lesson shows in every seed.
      ATTACK_BETA,
      { type: 'inject', agent: 'delta', fault: 'crash', durationMs: 20_000 },
      { type: 'rounds', count: 2, job: 'data-analytics' },
      sec(
        'attack (bft)',
        'The same attack under bft: honest replicas check validity and prevote nil for an invalid node; the vote matrix shows who got what.',
      ),
      { type: 'protocol', protocol: 'bft' },
      // The same attack, struck afresh, so it lasts through this section and recovery can be watched.
      ATTACK_BETA,
      { type: 'inject', agent: 'delta', fault: 'crash', durationMs: 20_000 },
      { type: 'rounds', count: 2, job: 'data-analytics' },
      sec(
        'recovery monitoring',
        'The faults wear off on the simulated clock: watch the countdowns reach zero and each agent return to healthy.',
      ),
      { type: 'wait_recovery', maxMs: 30_000 },
      sec(
        'post-recovery round',
        'A round on the healed system: jailed agents are released, every replica votes again and a valid node is committed.',
      ),
      { type: 'release', agent: 'all' },
      { type: 'rounds', count: 1, job: 'ml-pipeline' },
      sec(
        'why 2/3: an equivocating proposer at quorum 1/2',
        'Only Alpha-GPU (byzantine) links Beta and Gamma to Delta and Epsilon; it tells each side another node (its column). At quorum 1/2 both commit: a FORK.',
      ),
      // Beta and gamma are cut off from delta and epsilon; only alpha, byzantine, reaches both.
      // When alpha proposes it tells one side n3 and the other n4 and votes both ways. With a
      // quorum of 1/2 each side reaches it with alpha's help (3.6 and 3.2 of 5.5, over 2.75):
      // honest replicas commit different nodes. (Without the cut, gossip would bring each side
      // the other's votes and make the fork a race.) The rotation does not depend on the seed:
      // alpha proposes within these heights.
      { type: 'quorum', quorum: 0.5 },
      EQUIVOCATOR,
      SPLIT,
      { type: 'rounds', count: FORK_HEIGHTS, job: 'data-analytics' },
      sec(
        'the same attack at more than 2/3',
        'The same cut, the same Alpha: 3.6 of 5.5 is short of the 3.67 needed, so neither side commits, let alone forks. Safety holds; liveness waits for the network.',
      ),
      // The same cut, the same equivocator: 3.6 is short of 3.67, so no side commits anything,
      // a fork least of all. Safety holds; liveness waits for the network to heal.
      { type: 'quorum', quorum: null },
      { type: 'rounds', count: FORK_HEIGHTS, job: 'data-analytics' },
      { type: 'recover', agent: 'all' },
    ],
  },
  healthy: {
    name: 'healthy',
    description: 'no faults: every round should commit a valid node',
    steps: [sec('healthy system'), { type: 'rounds', count: 3 }],
  },
  attack: {
    name: 'attack',
    description: 'Beta-Memory byzantine for 25 s and Delta-Storage crashed for 20 s',
    steps: [
      sec('fault injection'),
      { type: 'inject', agent: 'beta', fault: 'byzantine', durationMs: 25_000 },
      { type: 'inject', agent: 'delta', fault: 'crash', durationMs: 20_000 },
      { type: 'rounds', count: 3, job: 'data-analytics' },
    ],
  },
  recovery: {
    name: 'recovery',
    description: 'faults injected, automatic recovery awaited, then a round on the healed system',
    steps: [
      sec('fault injection'),
      { type: 'inject', agent: 'beta', fault: 'byzantine', durationMs: 25_000 },
      { type: 'inject', agent: 'delta', fault: 'crash', durationMs: 20_000 },
      { type: 'rounds', count: 1, job: 'data-analytics' },
      sec(
        'recovery monitoring',
        'The faults wear off on the simulated clock: watch the countdowns reach zero and each agent return to healthy.',
      ),
      { type: 'wait_recovery', maxMs: 30_000 },
      sec(
        'post-recovery round',
        'A round on the healed system: jailed agents are released, every replica votes again and a valid node is committed.',
      ),
      { type: 'rounds', count: 1, job: 'ml-pipeline' },
    ],
  },
  overload: {
    name: 'overload',
    description:
      'faulty weight 3.6 of 5.5, over 1/3: bft refuses to commit rather than risk an invalid node',
    steps: [
      sec('overload (bft)'),
      { type: 'protocol', protocol: 'bft' },
      // What can still vote (3.2 of 5.5) is under the quorum even if the byzantine agent accepts.
      // Long enough for three heights that each run to their round bound.
      // Silent, not equivocating: it never gives evidence, so it is never jailed.
      {
        type: 'inject',
        agent: 'alpha',
        fault: 'byzantine',
        durationMs: 300_000,
        adversary: 'silent',
        scripted: true,
      },
      { type: 'inject', agent: 'beta', fault: 'crash', durationMs: 300_000 },
      { type: 'inject', agent: 'gamma', fault: 'slow', durationMs: 300_000 },
      { type: 'rounds', count: 3, job: 'ai-training' },
    ],
  },
  chaos: {
    name: 'chaos',
    description: 'random faults throughout under bft, for long runs (use --rounds)',
    chaosRate: 0.3,
    steps: [
      sec('chaos (bft)'),
      { type: 'protocol', protocol: 'bft' },
      { type: 'rounds', count: 10 },
    ],
  },
};

export const BUILTIN_NAMES = Object.keys(BUILTIN_SCENARIOS);
