// CometBFT's weighted round-robin proposer selection (types/validator_set.go): every round each
// validator's priority grows by its voting power, the highest becomes proposer (ties to the
// earliest address, here the agent order) and pays back the total power. Over many rounds each
// validator proposes in proportion to its weight. Powers are integers, as in CometBFT.
import { packedMap } from '../packed.js';

export interface Validator {
  id: string;
  /** Agent order: CometBFT breaks ties by address. */
  order: number;
  power: number;
}

/** CometBFT's PriorityWindowSizeFactor: priorities are kept within 2 x total power of each other. */
const WINDOW = 2;

export const powerOf = (weight: number): number => Math.max(1, Math.round(weight * 1000));

export class ProposerPriority {
  private readonly priority = new Map<string, number>();

  /**
   * The proposers of rounds 0..rounds-1 of the coming height (CometBFT's enterNewRound increments
   * a copy once per round), then moves the stored priorities on by one round, as CometBFT does
   * once per height whatever the number of rounds it took.
   */
  nextHeight(validators: readonly Validator[], rounds: number): string[] {
    const total = validators.reduce((s, v) => s + v.power, 0);
    const p = packedMap(validators, (v) => this.priorityOf(v.id, total));
    rescale(p, WINDOW * total);
    shiftByAverage(p);
    const proposers: string[] = [];
    let afterFirst: number[] = p;
    for (let r = 0; r < rounds; r++) {
      proposers.push(increment(validators, p, total));
      if (r === 0) afterFirst = [...p];
    }
    validators.forEach((v, i) => this.priority.set(v.id, afterFirst[i] ?? 0));
    return proposers;
  }

  /** A validator that leaves the set (jailed) comes back as a new one: CometBFT's -1.125 x total. */
  forget(id: string): void {
    this.priority.delete(id);
  }

  private priorityOf(id: string, total: number): number {
    return this.priority.get(id) ?? -(total + (total >> 3));
  }
}

function increment(validators: readonly Validator[], p: number[], total: number): string {
  let best = 0;
  for (let i = 0; i < validators.length; i++) {
    p[i] = (p[i] ?? 0) + (validators[i]?.power ?? 0);
    const a = p[i] ?? 0;
    const b = p[best] ?? 0;
    if (a > b || (a === b && (validators[i]?.order ?? 0) < (validators[best]?.order ?? 0)))
      best = i;
  }
  p[best] = (p[best] ?? 0) - total;
  return validators[best]?.id ?? '';
}

function rescale(p: number[], diffMax: number): void {
  if (p.length === 0 || diffMax <= 0) return;
  const diff = Math.max(...p) - Math.min(...p);
  if (diff <= diffMax) return;
  const ratio = Math.ceil(diff / diffMax);
  for (let i = 0; i < p.length; i++) p[i] = Math.trunc((p[i] ?? 0) / ratio);
}

function shiftByAverage(p: number[]): void {
  if (p.length === 0) return;
  const avg = Math.floor(p.reduce((s, x) => s + x, 0) / p.length);
  for (let i = 0; i < p.length; i++) p[i] = (p[i] ?? 0) - avg;
}
