// The quorum rule: how much weight a decision needs. classic keeps the original's ">= 2/3 of the
// total"; bft needs strictly more than 2/3 (Tendermint's 2f+1 of 3f+1); --quorum F lowers or
// raises it for teaching, always as "strictly more than F".
import type { Protocol } from './types.js';

const EPS = 1e-9;

export interface QuorumRule {
  rule: 'at_least' | 'more_than';
  fraction: number;
}

/** Both protocols' own fraction (classic: at least it; bft: more than it). */
export const DEFAULT_QUORUM_FRACTION = 2 / 3;

export function quorumRule(protocol: Protocol, quorum: number | null): QuorumRule {
  if (quorum !== null) return { rule: 'more_than', fraction: quorum };
  return {
    rule: protocol === 'classic' ? 'at_least' : 'more_than',
    fraction: DEFAULT_QUORUM_FRACTION,
  };
}

/** A quorum setting in words, for the log and the narrative. */
export function quorumWords(quorum: number | null): string {
  return quorum === null
    ? "the protocol's own rule (classic at least 2/3, bft more than 2/3)"
    : `strictly more than ${quorum} of the weight`;
}

/** The fraction as decision and retry events give it: four decimals. */
export function shownFraction(q: QuorumRule): number {
  return Math.round(q.fraction * 10_000) / 10_000;
}

export function meetsQuorum(q: QuorumRule, weight: number, total: number): boolean {
  return passes(thresholds(q, total), weight);
}

/**
 * Tendermint's f+1 (line 55): enough weight that at least one sender is honest if the quorum's
 * assumption holds, i.e. more than (1 - F) of the total.
 */
export function meetsSkip(q: QuorumRule, weight: number, total: number): boolean {
  return weight > thresholds(q, total).skip;
}

/** meetsQuorum and meetsSkip as single comparisons, for a total that stays put (a bft height). */
export interface Thresholds {
  /** The quorum needs weight above `quorum` (more_than), or at least it (at_least). */
  readonly strict: boolean;
  readonly quorum: number;
  /** f+1 needs weight above `skip`. */
  readonly skip: number;
}

export function thresholds(q: QuorumRule, total: number): Thresholds {
  const need = total * q.fraction;
  const strict = q.rule === 'more_than';
  return { strict, quorum: strict ? need + EPS : need - EPS, skip: total * (1 - q.fraction) + EPS };
}

export function passes(t: Thresholds, weight: number): boolean {
  return t.strict ? weight > t.quorum : weight >= t.quorum;
}
