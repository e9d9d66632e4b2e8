// Scenario scripts: what the core runs, step by step. Built-ins mirror the original demo's three
// scenarios and add the cases the original could not show.
import type { FaultKind, Protocol } from './types.js';

export type ScenarioStep =
  | { type: 'section'; title: string; caption?: string }
  | { type: 'inject'; agent: string; fault: FaultKind; durationMs?: number }
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
  steps: ScenarioStep[];
}

const sec = (title: string, caption?: string): ScenarioStep =>
  caption === undefined ? { type: 'section', title } : { type: 'section', title, caption };

export const BUILTIN_SCENARIOS: Record<string, ScenarioSpec> = {
  tour: {
    name: 'tour',
    description:
      'healthy baseline, attack under classic, the same attack under bft, recovery, one more round',
    steps: [
      sec(
        'healthy baseline',
        'Five specialists propose a node, then vote on one candidate. With no faults the accept weight clears the 2/3 quorum: a valid node is committed.',
      ),
      { type: 'protocol', protocol: 'classic' },
      { type: 'rounds', count: 1, job: 'ai-training' },
      sec(
        'attack (classic)',
        'Beta-Memory turns byzantine, Delta-Storage crashes. Watch Beta-Memory in the tally: classic trusts its count and can commit an invalid node.',
      ),
      { type: 'inject', agent: 'beta', fault: 'byzantine', durationMs: 25_000 },
      { type: 'inject', agent: 'delta', fault: 'crash', durationMs: 20_000 },
      { type: 'rounds', count: 2, job: 'data-analytics' },
      sec(
        'attack (bft)',
        'The same attack under bft: honest voters check validity and invalid proposals count as evidence, so an invalid node is refused. w: why.',
      ),
      { type: 'protocol', protocol: 'bft' },
      // The same attack, struck afresh, so it lasts through this section and recovery can be watched.
      { type: 'inject', agent: 'beta', fault: 'byzantine', durationMs: 25_000 },
      { type: 'inject', agent: 'delta', fault: 'crash', durationMs: 20_000 },
      { type: 'rounds', count: 2, job: 'data-analytics' },
      sec(
        'recovery monitoring',
        'The faults wear off on the simulated clock: watch the countdowns reach zero and each agent return to healthy.',
      ),
      { type: 'wait_recovery', maxMs: 30_000 },
      sec(
        'post-recovery round',
        'A round on the healed system: every agent votes again and a valid node is committed. Then free play: fault agents yourself.',
      ),
      { type: 'rounds', count: 1, job: 'ml-pipeline' },
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
      sec('recovery monitoring'),
      { type: 'wait_recovery', maxMs: 30_000 },
      sec('post-recovery round'),
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
      { type: 'inject', agent: 'alpha', fault: 'byzantine', durationMs: 60_000 },
      { type: 'inject', agent: 'beta', fault: 'crash', durationMs: 60_000 },
      { type: 'inject', agent: 'gamma', fault: 'slow', durationMs: 60_000 },
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
