// The one place where a sweep cell becomes an engine configuration: the protocol, the adversary
// its byzantine agents play, the quorum, offline noise, the byzantine set (byzantine for the
// whole run) and the crash/slow/partition faults struck between rounds.
import { DEFAULT_AGENTS } from '../core/catalogue.js';
import { makeCoreConfig } from '../core/config.js';
import type { ScenarioStep } from '../core/scenario.js';
import { effectiveAdversary as engineAdversary, type CoreConfig } from '../core/state.js';
import type { Adversary, Protocol } from '../core/types.js';
import type { AdversaryChoice, SweepFault } from './spec.js';

/** Long enough to outlast any run: a sweep's byzantine agents stay byzantine throughout. */
const WHOLE_RUN_MS = 1e12;

export interface CellParams {
  protocol: Protocol;
  /** Resolved: never `default` (see effectiveAdversary). */
  adversary: Adversary;
  byzantine: string[];
  byzantineRate: number;
  quorum: number | null;
  offlineNoise: number;
  faults: SweepFault[];
  jobMix: string[] | null;
  jailHeights: number;
}

/** The adversary a cell's byzantine agents play: the engine's own default per protocol. */
export function effectiveAdversary(protocol: Protocol, choice: AdversaryChoice): Adversary {
  return engineAdversary({ adversary: choice === 'default' ? null : choice }, protocol);
}

/** The quorum as a fraction of the total weight; null is the protocol's own 2/3 rule. */
export function effectiveQuorum(quorum: number | null): number {
  return quorum ?? 2 / 3;
}

/** Byzantine weight over total weight. */
export function weightShare(ids: readonly string[]): number {
  const total = DEFAULT_AGENTS.reduce((s, a) => s + a.weight, 0);
  const part = DEFAULT_AGENTS.filter((a) => ids.includes(a.id)).reduce((s, a) => s + a.weight, 0);
  return part / total;
}

/** The engine configuration of one run of a cell. */
export function cellConfig(cell: CellParams, seed: number, rounds: number): CoreConfig {
  const steps: ScenarioStep[] = cell.byzantine.map((agent) => ({
    type: 'inject',
    agent,
    fault: 'byzantine',
    durationMs: WHOLE_RUN_MS,
  }));
  // Faults are struck between rounds: the rounds before each, then the fault, then the rest.
  const faults = [...cell.faults].sort((a, b) => a.afterRounds - b.afterRounds);
  let done = 0;
  for (const f of faults) {
    const before = Math.min(f.afterRounds, rounds) - done;
    if (before > 0) steps.push({ type: 'rounds', count: before });
    done += Math.max(0, before);
    steps.push({
      type: 'inject',
      agent: f.agent,
      fault: f.kind,
      durationMs: Math.round(f.durationS * 1000),
    });
  }
  if (rounds > done) steps.push({ type: 'rounds', count: rounds - done });
  return makeCoreConfig({
    seed,
    protocol: cell.protocol,
    adversary: cell.adversary,
    quorum: cell.quorum,
    offlineNoise: cell.offlineNoise,
    byzantineRate: cell.byzantineRate,
    jailHeights: cell.jailHeights,
    maxRounds: rounds,
    scenario: {
      name: 'sweep',
      description: 'one run of a sweep cell',
      ...(cell.jobMix ? { jobMix: cell.jobMix } : {}),
      steps,
    },
  });
}
