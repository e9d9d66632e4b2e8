// What one bft height holds (its validators, values, replicas and network), the small facts read
// from it (timeouts, a value's node id, validity reasons, the precommit weights, the adversary a
// replica plays now) and the few updates every part of a height shares (a value's index, a
// replica settled, the end scheduled).
import type { Ctx } from '../context.js';
import { round2 } from '../protocols.js';
import type { QuorumRule, Thresholds } from '../quorum.js';
import type { AgentState, RoundState } from '../state.js';
import type { Adversary, CandidateView } from '../types.js';
import { validIds } from '../utility.js';
import { adversaryOf } from './acting.js';
import { checkValidity } from '../validity.js';
import type { Evidence } from './evidence.js';
import type { Network } from './network.js';
import type { Judgement, Replica, Step } from './replica.js';
import { NONE, VoteBook } from './tally.js';

/** Rounds a height may take before it ends without a decision. */
export const MAX_BFT_ROUNDS = 5;
/** More values than any height has (the inventory plus a few strays): keys replica and value. */
export const JUDGED_STRIDE = 1 << 16;
/** What a malformed proposal names: no node at all. */
export const MALFORMED = '<malformed>';

export interface BftHeight {
  validators: AgentState[];
  weights: number[];
  total: number;
  rule: QuorumRule;
  /** The rule's quorum and f+1 for this height's total, worked out once. */
  thresholds: Thresholds;
  /** Per step, per round: every replica's count of the votes it received. */
  books: { prevote: VoteBook[]; precommit: VoteBook[] };
  /** Value index -> node id (MALFORMED for a proposal without one). */
  values: string[];
  valueIndex: Map<string, number>;
  valid: boolean[];
  replicas: Replica[];
  proposers: number[];
  network: Network;
  /** Per replica: the value its own model proposed (after any corruption), NIL for none. */
  own: number[];
  /** Its model's judgement, by replica * JUDGED_STRIDE + value. */
  judgements: Map<number, Judgement>;
  /** Outstanding model calls: call id -> [replica, value]. */
  asks: Map<string, [number, number]>;
  candidates: Map<number, CandidateView>;
  strategic: number;
  timer: string | null;
  timerAt: number;
  /** What this height's timer ids start with (built once: a timer fires many times a height). */
  timerPrefix: string;
  /** Replicas neither decided nor given up nor crashed: the height ends when none is left. */
  open: number;
  settled: boolean[];
  graceArmed: boolean;
  /** 'end' items waiting in the queue: when nothing else is, no replica can do anything more. */
  endsQueued: number;
  /** Why the height ended early: replicas stalled, waiting on messages nobody will send. */
  stalled: boolean;
  ended: boolean;
  decisions: { value: number; round: number }[];
  /** `received` of a vote every replica got alike, per value (shared by the events). */
  uniformReceived: Map<number, Record<string, string | null | 'lost'>>;
  /** Equivocators that have proposed this height: from then on they lie to both halves. */
  equivocating: boolean[];
  /** Highest round any replica started. */
  maxRound: number;
  /** Validators faulty (any kind) at any moment of the height. */
  faulty: Set<AgentState>;
  /** Per round, per sender: the precommit it sent (an equivocator's first value), NONE if none. */
  precommitsSent: Int32Array[];
  evidence: Evidence;
}

/**
 * Tendermint's timeouts, growing with the round. Votes wait on models that think for
 * thinkMin..thinkMax: once 2f+1 votes are in, the rest get the spread of thinking times (plus the
 * network's round trip) to arrive, so an honest replica is not left behind by a slow model alone.
 */
export function timeoutMs(ctx: Ctx, step: Step, round: number): number {
  const t = ctx.cfg.timing;
  const net = 2 * ctx.cfg.network.maxDelayMs;
  switch (step) {
    case 'propose':
      return t.thinkMaxMs + t.phaseGapMs + net + round * t.phaseGapMs;
    case 'prevote':
    case 'precommit':
      return t.thinkMaxMs - t.thinkMinMs + t.phaseGapMs + net + (round * t.phaseGapMs) / 2;
    default: {
      const never: never = step;
      return never;
    }
  }
}

/**
 * Where replicas cannot gather 2f+1 of anything (faulty weight over 1/3, a partition) no timeout
 * moves them on: the height ends after the time its rounds would have taken at most.
 */
export function heightDeadlineMs(ctx: Ctx): number {
  let sum = ctx.cfg.timing.thinkMaxMs;
  for (let r = 0; r < MAX_BFT_ROUNDS; r++)
    sum +=
      timeoutMs(ctx, 'propose', r) + timeoutMs(ctx, 'prevote', r) + timeoutMs(ctx, 'precommit', r);
  return sum;
}

/** The round's book of votes for `step`, made on first use (the values are all known by then). */
export function voteBook(h: BftHeight, step: 'prevote' | 'precommit', round: number): VoteBook {
  const books = h.books[step];
  let book = books[round];
  if (!book) books[round] = book = new VoteBook(h.validators.length, h.values.length, h.thresholds);
  return book;
}

export function valueName(h: BftHeight, v: number): string | null {
  if (v < 0) return null;
  const name = h.values[v];
  return name === undefined || name === MALFORMED ? null : name;
}

export function indexOf(h: BftHeight, ctx: Ctx, round: RoundState, nodeId: string): number {
  let i = h.valueIndex.get(nodeId);
  if (i === undefined) {
    i = h.values.length;
    h.values.push(nodeId);
    h.valueIndex.set(nodeId, i);
    h.valid.push(nodeId !== MALFORMED && validIds(round.job, ctx.cfg.nodes).has(nodeId));
  }
  return i;
}

export function scheduleEnd(h: BftHeight, at: number, why: 'grace' | 'deadline'): void {
  h.endsQueued += 1;
  h.network.schedule(at, { kind: 'end', why });
}

export function settle(h: BftHeight, p: number): void {
  if (h.settled[p]) return;
  h.settled[p] = true;
  if (h.validators[p]?.fault !== 'crash') h.open -= 1;
}

export function validityReason(ctx: Ctx, round: RoundState, h: BftHeight, v: number): string {
  const name = h.values[v];
  if (name === MALFORMED || name === undefined)
    return 'proposal fails the schema (no node_id/score)';
  const c = checkValidity(round.job, name, ctx.cfg.nodes);
  return c.valid ? 'valid' : c.reason;
}

/** Precommit weight sent in round r: for `value` (the leading non-nil value if NONE), and in all. */
export function precommitWeights(
  h: BftHeight,
  r: number,
  value: number,
): { accept: number; any: number; value: number } {
  const sent = h.precommitsSent[r];
  let any = 0;
  const byValue = new Map<number, number>();
  if (sent)
    for (let p = 0; p < sent.length; p++) {
      const v = sent[p] ?? NONE;
      if (v === NONE) continue;
      const w = h.weights[p] ?? 0;
      any += w;
      if (v >= 0) byValue.set(v, (byValue.get(v) ?? 0) + w);
    }
  let lead = value;
  if (lead === NONE)
    for (const [v, w] of byValue) if (lead === NONE || w > (byValue.get(lead) ?? 0)) lead = v;
  return { accept: byValue.get(lead) ?? 0, any, value: lead };
}

/**
 * Round r's precommits as a decision or retry event gives them, in the events' key order: the
 * weight that backed `value` (or the most-backed value), the rest, and the agents failed now.
 */
export function precommitFigures(ctx: Ctx, h: BftHeight, r: number, value: number) {
  const { accept, any } = precommitWeights(h, r, value);
  return {
    accept_weight: round2(accept),
    reject_weight: round2(any - accept),
    absent_weight: round2(h.total - any),
    total_weight: round2(h.total),
    quorum: round2(h.total * h.rule.fraction),
    failed_operations: ctx.s.agents.filter((a) => a.fault !== null && a.fault !== 'byzantine')
      .length,
  };
}

/**
 * The adversary replica p plays right now. An equivocator lies low (votes as an honest replica
 * would, so nothing betrays it) until its turn to propose; from then on it lies to both halves.
 */
export function actingNow(ctx: Ctx, round: RoundState, h: BftHeight, p: number): Adversary | null {
  const agent = h.validators[p];
  const adv = agent ? adversaryOf(ctx, round, agent) : null;
  return adv === 'equivocate' && !h.equivocating[p] ? null : adv;
}
