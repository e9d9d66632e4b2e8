// What a height gives its replicas (replica.ts's ReplicaHost): the network for their proposals and
// votes, the adversaries' lies, and the events that tell the run who sent and received what.
import type { Ctx } from '../context.js';
import { round2 } from '../protocols.js';
import { shownFraction } from '../quorum.js';
import type { RoundState } from '../state.js';
import { adversaryOf } from './acting.js';
import {
  actingNow,
  type BftHeight,
  MALFORMED,
  MAX_BFT_ROUNDS,
  precommitFigures,
  scheduleEnd,
  settle,
  timeoutMs,
  validityReason,
  valueName,
  voteBook,
} from './height-state.js';
import { judge } from './judgement.js';
import { LOST, NOT_SENT, type WireMsg } from './network.js';
import type { Judgement, ReplicaHost, Step } from './replica.js';
import { NIL, NONE, type VoteBook } from './tally.js';

/** The first replica to reach a round: the round's events for those following along. */
export function enterRound(ctx: Ctx, round: RoundState, h: BftHeight, r: number): void {
  round.attempt = r;
  ctx.emit({ type: 'phase', round: round.round, phase: 'vote', attempt: r });
}

/**
 * A class, not an object of closures: a height's closures (and the scope they share, which holds
 * the height) were among what young-generation collections kept copying (bench/bft.ts).
 */
export class HeightHost implements ReplicaHost {
  readonly rounds = MAX_BFT_ROUNDS;
  readonly senders: number;

  constructor(
    private readonly ctx: Ctx,
    private readonly round: RoundState,
    private readonly h: BftHeight,
  ) {
    this.senders = h.validators.length;
  }

  proposer(r: number): number {
    return this.h.proposers[r] ?? 0;
  }

  getValue(p: number): number {
    const { h } = this;
    switch (this.adversary(p)) {
      case 'strategic':
        return h.strategic;
      case 'silent':
        return NIL;
      default:
        return h.own[p] ?? NIL;
    }
  }

  judge(p: number, r: number, v: number): Judgement {
    return judge(this.ctx, this.round, this.h, p, r, v);
  }

  valid(p: number, v: number): boolean {
    const { h } = this;
    switch (this.adversary(p)) {
      case 'strategic':
        return v === h.strategic;
      case 'silent':
        return false;
      default:
        return h.valid[v] === true;
    }
  }

  skip(w: number): boolean {
    return w > this.h.thresholds.skip;
  }

  book(step: 'prevote' | 'precommit', r: number): VoteBook {
    return voteBook(this.h, step, r);
  }

  broadcastProposal(p: number, r: number, v: number, vr: number): void {
    if (v === NIL) return;
    const { ctx, round, h } = this;
    const n = this.senders;
    const agent = h.validators[p];
    if (agent && adversaryOf(ctx, round, agent) === 'equivocate') h.equivocating[p] = true;
    const equivocate = this.adversary(p) === 'equivocate';
    const second = equivocate ? this.other(v) : v;
    const msg: WireMsg = { kind: 'proposal', round: r, validRound: vr };
    const sent = h.network.send(ctx.s.now, p, this.extra(p), msg, v, second);
    const record: Record<string, string | null> = {};
    for (let to = 0; to < n; to++) {
      const got = sent[to] ?? NOT_SENT;
      const id = this.id(to);
      record[id] = got >= 0 ? valueName(h, got) : null;
      // The first honest receiver of an invalid value holds the evidence; only the first counts.
      if (got >= 0 && !h.valid[got] && !h.evidence.against.has(p) && !round.byzantine.has(id))
        h.evidence.invalidProposal(
          p,
          h.values[got] === MALFORMED,
          validityReason(ctx, round, h, got),
        );
    }
    const proposal = round.proposals.find((x) => x.agent === this.id(p));
    ctx.emit({
      type: 'candidate',
      round: round.round,
      attempt: r,
      node_id: valueName(h, v) ?? MALFORMED,
      score: proposal?.answer?.score ?? 0,
      proposer: this.id(p),
      valid: h.valid[v] === true,
      reason: h.valid[v] ? null : validityReason(ctx, round, h, v),
    });
    ctx.emit({
      type: 'bft_propose',
      round: round.round,
      attempt: r,
      proposer: this.id(p),
      node_id: valueName(h, v),
      valid: h.valid[v] === true,
      sent: record,
      total_weight: round2(h.total),
      quorum: round2(h.total * h.rule.fraction),
    });
  }

  broadcastVote(p: number, step: 'prevote' | 'precommit', r: number, v: number): void {
    const { ctx, round, h } = this;
    const n = this.senders;
    const adv = this.adversary(p);
    let first = v;
    let second = v;
    if (adv === 'silent') first = second = NIL;
    else if (adv === 'equivocate') {
      // What it would vote goes to one half; to the other, a rival value it never saw backed.
      first = v !== NIL ? v : (h.own[p] ?? NIL);
      second = this.other(first);
    }
    const msg: WireMsg = { kind: step, round: r };
    const sent = h.network.send(ctx.s.now, p, this.extra(p), msg, first, second);
    const received = receivedRecord(h, sent);
    if (step === 'precommit') {
      let sentInRound = h.precommitsSent[r];
      if (!sentInRound) h.precommitsSent[r] = sentInRound = new Int32Array(n).fill(NONE);
      if (sentInRound[p] === NONE) sentInRound[p] = first;
    }
    ctx.emit({
      type: step,
      round: round.round,
      attempt: r,
      agent: this.id(p),
      value: valueName(h, first),
      received,
      equivocated: first !== second,
      corrupted: adv !== null && (adv !== 'original' || first !== v),
    });
  }

  schedule(p: number, step: Step, r: number): void {
    this.h.network.schedule(this.ctx.s.now + timeoutMs(this.ctx, step, r), {
      kind: 'timeout',
      replica: p,
      step,
      round: r,
    });
  }

  locked(p: number, r: number, v: number): void {
    this.ctx.emit({
      type: 'lock',
      round: this.round.round,
      attempt: r,
      agent: this.id(p),
      node_id: valueName(this.h, v) ?? '',
    });
  }

  decided(p: number, r: number, v: number): void {
    const { ctx, round, h } = this;
    h.decisions[p] = { value: v, round: r };
    settle(h, p);
    if (!h.graceArmed && !round.byzantine.has(this.id(p))) {
      h.graceArmed = true;
      // Stragglers get a little time to commit too; the height does not wait for a partition.
      scheduleEnd(h, ctx.s.now + timeoutMs(ctx, 'precommit', 0), 'grace');
    }
    ctx.emit({
      type: 'commit',
      round: round.round,
      attempt: r,
      agent: this.id(p),
      node_id: valueName(h, v) ?? '',
    });
  }

  timedOut(p: number, step: Step, r: number): void {
    const { ctx, round, h } = this;
    ctx.emit({ type: 'timeout', round: round.round, attempt: r, agent: this.id(p), step });
    if (step === 'precommit' && r + 1 > h.maxRound && r + 1 < MAX_BFT_ROUNDS) {
      h.maxRound = r + 1;
      retry(ctx, round, h, r);
      enterRound(ctx, round, h, r + 1);
    }
  }

  gaveUp(p: number): void {
    settle(this.h, p);
  }

  conflicting(p: number, sender: number): void {
    // Evidence only in honest hands: a byzantine receiver need not report anything.
    if (!this.round.byzantine.has(this.id(p))) this.h.evidence.equivocation(sender);
  }

  private id(p: number): string {
    return this.h.validators[p]?.spec.id ?? '';
  }

  private extra(p: number): number {
    return this.h.validators[p]?.fault === 'slow' ? this.ctx.cfg.timing.slowExtraMs : 0;
  }

  private adversary(p: number) {
    return actingNow(this.ctx, this.round, this.h, p);
  }

  /** An equivocator's second value: another valid node, else nothing valid to confuse with. */
  private other(v: number): number {
    const { h } = this;
    for (let i = 0; i < h.values.length; i++) if (i !== v && h.valid[i]) return i;
    return NIL;
  }
}

/**
 * What each receiver got, by agent id. The common case (everyone got the same value) is one
 * shared object per value and height: built per send it would cost n per sender, n^2 a step.
 */
function receivedRecord(h: BftHeight, sent: Int32Array): Record<string, string | null | 'lost'> {
  const n = h.validators.length;
  const first = sent[0] ?? NOT_SENT;
  let uniform = first >= NIL;
  for (let to = 1; uniform && to < n; to++) uniform = sent[to] === first;
  if (uniform) {
    const shared = h.uniformReceived.get(first);
    if (shared) return shared;
  }
  const record: Record<string, string | null | 'lost'> = {};
  for (let to = 0; to < n; to++) {
    const got = sent[to] ?? NOT_SENT;
    record[h.validators[to]?.spec.id ?? ''] =
      got === LOST || got === NOT_SENT ? 'lost' : valueName(h, got);
  }
  if (uniform) h.uniformReceived.set(first, record);
  return record;
}

/** The retry event: the round the first replica just left, by the precommits sent in it. */
function retry(ctx: Ctx, round: RoundState, h: BftHeight, r: number): void {
  const proposed = h.own[h.proposers[r] ?? 0] ?? NIL;
  ctx.emit({
    type: 'retry',
    round: round.round,
    attempt: r,
    protocol: 'bft',
    node_id: valueName(h, proposed),
    valid: proposed >= 0 ? h.valid[proposed] === true : null,
    ...precommitFigures(ctx, h, r, NONE),
    reason: `bft round ${r + 1} ended without 2f+1 precommits for one node`,
    quorum_rule: h.rule.rule,
    quorum_fraction: shownFraction(h.rule),
  });
}
