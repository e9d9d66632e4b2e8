// The one place where a sweep cell becomes an engine configuration. The adversary, quorum,
// offline-noise and partition axes need the replicated bft engine (the contract of issue 7:
// CoreConfig.adversary, .quorum, .offlineNoise, .network and the `partition` fault). Whether this
// build has them is read from the engine's own defaults, so the axes light up when it lands and,
// until then, a spec asking for them is refused in one line instead of sweeping a knob that
// changes nothing.
import { DEFAULT_AGENTS } from '../core/catalogue.js';
import { makeCoreConfig } from '../core/config.js';
import type { ScenarioStep } from '../core/scenario.js';
import type { CoreConfig } from '../core/state.js';
import type { FaultKind, Protocol } from '../core/types.js';
import type { AdversaryChoice, SweepFault, SweepSpec } from './spec.js';

const ENGINE_DEFAULTS = makeCoreConfig() as unknown as Record<string, unknown>;

export const ENGINE_HAS = {
  adversary: 'adversary' in ENGINE_DEFAULTS,
  quorum: 'quorum' in ENGINE_DEFAULTS,
  offlineNoise: 'offlineNoise' in ENGINE_DEFAULTS,
  partition: 'network' in ENGINE_DEFAULTS,
};

/** The adversaries this engine can play; before issue 7 every byzantine agent is the original's. */
export const ENGINE_ADVERSARIES: readonly Exclude<AdversaryChoice, 'default'>[] =
  ENGINE_HAS.adversary ? ['original', 'strategic', 'equivocate', 'silent'] : ['original'];

/** Long enough to outlast any run: a sweep's byzantine agents stay byzantine throughout. */
const WHOLE_RUN_MS = 1e12;

export interface CellParams {
  protocol: Protocol;
  adversary: AdversaryChoice;
  byzantine: string[];
  byzantineRate: number;
  quorum: number | null;
  offlineNoise: number;
  faults: SweepFault[];
  jobMix: string[] | null;
}

/** What the spec asks that this engine cannot do, as one line naming the field; null if nothing. */
export function unsupported(spec: SweepSpec): string | null {
  const need = 'needs the replicated bft engine (issue 7), which this build does not have';
  const adversary = spec.adversary.find((a) => a !== 'default' && !ENGINE_ADVERSARIES.includes(a));
  if (adversary !== undefined) return `adversary: "${adversary}" ${need}`;
  if (!ENGINE_HAS.quorum && spec.quorum.some((q) => q !== null))
    return `quorum: a quorum other than the protocol's own ${need}`;
  if (!ENGINE_HAS.offlineNoise && spec.offlineNoise.some((p) => p !== 0))
    return `offline_noise: noise above 0 ${need}`;
  if (!ENGINE_HAS.partition && spec.faults.some((set) => set.some((f) => f.kind === 'partition')))
    return `faults: a partition fault ${need}`;
  return null;
}

/** The adversary a cell's byzantine agents play (the contract's defaults per protocol). */
export function effectiveAdversary(
  protocol: Protocol,
  choice: AdversaryChoice,
): Exclude<AdversaryChoice, 'default'> {
  if (choice !== 'default') return choice;
  if (!ENGINE_HAS.adversary) return 'original';
  return protocol === 'bft' ? 'equivocate' : 'original';
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
      fault: f.kind as FaultKind,
      durationMs: Math.round(f.durationS * 1000),
    });
  }
  if (rounds > done) steps.push({ type: 'rounds', count: rounds - done });
  const base = makeCoreConfig({
    seed,
    protocol: cell.protocol,
    byzantineRate: cell.byzantineRate,
    maxRounds: rounds,
    scenario: {
      name: 'sweep',
      description: 'one run of a sweep cell',
      ...(cell.jobMix ? { jobMix: cell.jobMix } : {}),
      steps,
    },
  });
  const extra: Record<string, unknown> = {};
  if (ENGINE_HAS.adversary) extra['adversary'] = effectiveAdversary(cell.protocol, cell.adversary);
  if (ENGINE_HAS.quorum) extra['quorum'] = cell.quorum;
  if (ENGINE_HAS.offlineNoise) extra['offlineNoise'] = cell.offlineNoise;
  return { ...base, ...extra } as CoreConfig;
}
