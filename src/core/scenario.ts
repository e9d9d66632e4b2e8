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
      /** partition: the agents cut off together (agent is the first of them). */
      group?: string[];
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
        "Alpha-GPU tells half the replicas n3, the other half n4. At quorum 1/2 both halves commit: watch Alpha's column in the matrix and the FORK.",
      ),
      // Alpha tells half the replicas n3 and the other half n4, and votes both ways. With a
      // quorum of 1/2 each half reaches it with alpha's help: two honest replicas commit
      // different nodes. The rotation does not depend on the seed: alpha proposes in these heights.
      { type: 'quorum', quorum: 0.5 },
      EQUIVOCATOR,
      { type: 'rounds', count: FORK_HEIGHTS, job: 'data-analytics' },
      { type: 'recover', agent: 'alpha' },
      { type: 'release', agent: 'all' },
      sec(
        'an equivocating proposer at more than 2/3',
        'Gamma-Compute tries the same split at more than 2/3: neither half reaches the quorum, so no honest replica commits a different node.',
      ),
      // Alpha, just jailed and released, rejoins at the back of the rotation: gamma (1.1)
      // proposes in these heights and tries the same split; 3.6 of 5.5 is short of 3.67.
      { type: 'quorum', quorum: null },
      { ...EQUIVOCATOR, agent: 'gamma' },
      { type: 'rounds', count: FORK_HEIGHTS, job: 'data-analytics' },
      { type: 'recover', agent: 'gamma' },
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
        durationMs: 150_000,
        adversary: 'silent',
        scripted: true,
      },
      { type: 'inject', agent: 'beta', fault: 'crash', durationMs: 150_000 },
      { type: 'inject', agent: 'gamma', fault: 'slow', durationMs: 150_000 },
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
