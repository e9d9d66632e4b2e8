// One bft height (one job): the validators' replicas, the network between them, and the glue to
// the engine. Messages and replica timeouts wait in the network's queue; the runtime is asked for
// one timer, at the next due item, and everything due is processed in one go.
import type { Ctx } from '../context.js';
import { emitCountedVote } from '../answers.js';
import { FAKE_NODE_ID } from '../catalogue.js';
import { meetsQuorum, meetsSkip, quorumRule, type QuorumRule } from '../quorum.js';
import type { AgentState, RoundState } from '../state.js';
import type { Adversary, CandidateView, Supporter } from '../types.js';
import { validIds } from '../utility.js';
import { checkValidity } from '../validity.js';
import { nextFloat } from '../prng.js';
import { adversaryOf } from './acting.js';
import { inSecondHalf, wastefulNode } from './adversary.js';
import { sharedCandidate } from './candidates.js';
import { Evidence } from './evidence.js';
import { finishHeight } from './outcome.js';
import { LOST, Network, NOT_SENT, type Due, type WireMsg } from './network.js';
import { Replica, type Judgement, type ReplicaHost, type Step } from './replica.js';
import { NIL, NONE } from './tally.js';

/** Rounds a height may take before it ends without a decision. */
export const MAX_BFT_ROUNDS = 5;
/** More values than any height has (the inventory plus a few strays): keys replica and value. */
const JUDGED_STRIDE = 1 << 16;
/** What a malformed proposal names: no node at all. */
const MALFORMED = '<malformed>';

export interface BftHeight {
  validators: AgentState[];
  weights: number[];
  total: number;
  rule: QuorumRule;
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
  startedAt: number;
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
function heightDeadlineMs(ctx: Ctx): number {
  let sum = ctx.cfg.timing.thinkMaxMs;
  for (let r = 0; r < MAX_BFT_ROUNDS; r++)
    sum +=
      timeoutMs(ctx, 'propose', r) + timeoutMs(ctx, 'prevote', r) + timeoutMs(ctx, 'precommit', r);
  return sum;
}

export function valueName(h: BftHeight, v: number): string | null {
  if (v < 0) return null;
  const name = h.values[v];
  return name === undefined || name === MALFORMED ? null : name;
}

function indexOf(h: BftHeight, ctx: Ctx, round: RoundState, nodeId: string): number {
  let i = h.valueIndex.get(nodeId);
  if (i === undefined) {
    i = h.values.length;
    h.values.push(nodeId);
    h.valueIndex.set(nodeId, i);
    h.valid.push(nodeId !== MALFORMED && validIds(round.job, ctx.cfg.nodes).has(nodeId));
  }
  return i;
}

export function startHeight(
  ctx: Ctx,
  round: RoundState,
  proposers: (validators: AgentState[]) => string[],
): void {
  const { cfg, s } = ctx;
  const validators = s.agents.filter((a) => a.jailedUntil === null);
  const n = validators.length;
  const weights = validators.map((a) => a.spec.weight);
  const h: BftHeight = {
    validators,
    weights,
    total: weights.reduce((a, b) => a + b, 0),
    rule: quorumRule('bft', s.quorum),
    values: [],
    valueIndex: new Map(),
    valid: [],
    replicas: [],
    proposers: [],
    network: new Network(s.rng, cfg.network, n, {
      links: (a) => validators[a]?.links ?? 0,
      down: (b) => validators[b]?.fault === 'crash',
      relays: (a) => validators[a]?.fault !== 'byzantine' && validators[a]?.fault !== 'crash',
    }),
    own: [],
    judgements: new Map(),
    asks: new Map(),
    candidates: new Map(),
    strategic: NIL,
    timer: null,
    timerAt: Infinity,
    timerPrefix: `bft${round.round}:`,
    open: 0,
    settled: validators.map(() => false),
    graceArmed: false,
    endsQueued: 0,
    stalled: false,
    ended: false,
    decisions: validators.map(() => ({ value: NONE, round: -1 })),
    uniformReceived: new Map(),
    equivocating: validators.map(() => false),
    maxRound: 0,
    faulty: new Set(validators.filter((a) => a.fault !== null)),
    precommitsSent: [],
    evidence: new Evidence(),
    startedAt: s.now,
  };
  round.bft = h;
  for (const node of cfg.nodes) indexOf(h, ctx, round, node.id);
  const byAgent = new Map(round.proposals.map((p) => [p.agent, p]));
  h.own = validators.map((a) => {
    const p = byAgent.get(a.spec.id);
    if (!p || !p.counted) return NIL;
    return indexOf(h, ctx, round, p.answer ? p.answer.nodeId : MALFORMED);
  });
  const wasteful = wastefulNode(round.job, cfg.nodes);
  h.strategic = wasteful === null ? NIL : indexOf(h, ctx, round, wasteful);
  const order = proposers(validators);
  const byId = new Map(validators.map((a, i) => [a.spec.id, i]));
  h.proposers = order.map((id) => byId.get(id) ?? 0);
  const host = makeHost(ctx, round, h);
  h.replicas = validators.map((_, i) => new Replica(i, host));
  for (const a of validators) if (a.fault === 'byzantine') round.byzantine.add(a.spec.id);
  h.open = validators.filter((a) => a.fault !== 'crash').length;
  scheduleEnd(h, s.now + heightDeadlineMs(ctx), 'deadline');
  enterRound(ctx, round, h, 0);
  for (let i = 0; i < n; i++) if (validators[i]?.fault !== 'crash') h.replicas[i]?.start();
  pump(ctx, round, h);
}

/** The first replica to reach a round: the round's events for those following along. */
function enterRound(ctx: Ctx, round: RoundState, h: BftHeight, r: number): void {
  round.attempt = r;
  ctx.emit({ type: 'phase', round: round.round, phase: 'vote', attempt: r });
}

function makeHost(ctx: Ctx, round: RoundState, h: BftHeight): ReplicaHost {
  const n = h.validators.length;
  const quorum = (w: number) => meetsQuorum(h.rule, w, h.total);
  const skip = (w: number) => meetsSkip(h.rule, w, h.total);
  const id = (p: number) => h.validators[p]?.spec.id ?? '';
  const extra = (p: number) => (h.validators[p]?.fault === 'slow' ? ctx.cfg.timing.slowExtraMs : 0);
  const adversary = (p: number) => actingNow(ctx, round, h, p);
  /** An equivocator's second value: another valid node, else nothing valid to confuse with. */
  const other = (v: number): number => {
    for (let i = 0; i < h.values.length; i++) if (i !== v && h.valid[i]) return i;
    return NIL;
  };
  return {
    rounds: MAX_BFT_ROUNDS,
    senders: n,
    get values() {
      return h.values.length;
    },
    proposer: (r) => h.proposers[r] ?? 0,
    getValue: (p) => {
      switch (adversary(p)) {
        case 'strategic':
          return h.strategic;
        case 'silent':
          return NIL;
        default:
          return h.own[p] ?? NIL;
      }
    },
    judge: (p, r, v) => judge(ctx, round, h, p, r, v),
    valid: (p, v) => {
      switch (adversary(p)) {
        case 'strategic':
          return v === h.strategic;
        case 'silent':
          return false;
        default:
          return h.valid[v] === true;
      }
    },
    quorum,
    skip,
    broadcastProposal: (p, r, v, vr) => {
      if (v === NIL) return;
      const agent = h.validators[p];
      if (agent && adversaryOf(ctx, round, agent) === 'equivocate') h.equivocating[p] = true;
      const equivocate = adversary(p) === 'equivocate';
      const second = equivocate ? other(v) : v;
      const msg: WireMsg = { kind: 'proposal', round: r, validRound: vr };
      const sent = h.network.send(ctx.s.now, p, extra(p), msg, (to) =>
        equivocate && to !== p && inSecondHalf(p, to, n) ? second : v,
      );
      const record: Record<string, string | null> = {};
      for (let to = 0; to < n; to++) {
        const got = sent[to] ?? NOT_SENT;
        record[id(to)] = got >= 0 ? valueName(h, got) : null;
        if (got >= 0) {
          if (!round.byzantine.has(id(to)) && !h.valid[got])
            h.evidence.proposal(
              p,
              false,
              h.values[got] === MALFORMED,
              validityReason(ctx, round, h, got),
            );
        }
      }
      const proposal = round.proposals.find((x) => x.agent === id(p));
      ctx.emit({
        type: 'candidate',
        round: round.round,
        attempt: r,
        node_id: valueName(h, v) ?? MALFORMED,
        score: proposal?.answer?.score ?? 0,
        proposer: id(p),
        valid: h.valid[v] === true,
        reason: h.valid[v] ? null : validityReason(ctx, round, h, v),
      });
      ctx.emit({
        type: 'bft_propose',
        round: round.round,
        attempt: r,
        proposer: id(p),
        node_id: valueName(h, v),
        valid: h.valid[v] === true,
        sent: record,
      });
    },
    broadcastVote: (p, step, r, v) => {
      const adv = adversary(p);
      let first = v;
      let second = v;
      if (adv === 'silent') first = second = NIL;
      else if (adv === 'equivocate') {
        // What it would vote goes to one half; to the other, a rival value it never saw backed.
        first = v !== NIL ? v : (h.own[p] ?? NIL);
        second = other(first);
      }
      const msg: WireMsg = { kind: step, round: r };
      const sent = h.network.send(ctx.s.now, p, extra(p), msg, (to) =>
        to !== p && inSecondHalf(p, to, n) ? second : first,
      );
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
        agent: id(p),
        value: valueName(h, first),
        received,
        equivocated: first !== second,
        corrupted: adv !== null && (adv !== 'original' || first !== v),
      });
    },
    schedule: (p, step, r) => {
      h.network.schedule(ctx.s.now + timeoutMs(ctx, step, r), {
        kind: 'timeout',
        replica: p,
        step,
        round: r,
      });
    },
    locked: (p, r, v) => {
      ctx.emit({
        type: 'lock',
        round: round.round,
        attempt: r,
        agent: id(p),
        node_id: valueName(h, v) ?? '',
      });
    },
    decided: (p, r, v) => {
      h.decisions[p] = { value: v, round: r };
      settle(h, p);
      if (!h.graceArmed && !round.byzantine.has(id(p))) {
        h.graceArmed = true;
        // Stragglers get a little time to commit too; the height does not wait for a partition.
        scheduleEnd(h, ctx.s.now + timeoutMs(ctx, 'precommit', 0), 'grace');
      }
      ctx.emit({
        type: 'commit',
        round: round.round,
        attempt: r,
        agent: id(p),
        node_id: valueName(h, v) ?? '',
      });
    },
    timedOut: (p, step, r) => {
      ctx.emit({ type: 'timeout', round: round.round, attempt: r, agent: id(p), step });
      if (step === 'precommit' && r + 1 > h.maxRound && r + 1 < MAX_BFT_ROUNDS) {
        h.maxRound = r + 1;
        retry(ctx, round, h, p, r);
        enterRound(ctx, round, h, r + 1);
      }
    },
    gaveUp: (p) => settle(h, p),
    conflicting: (p, sender) => {
      // Evidence only in honest hands: a byzantine receiver need not report anything.
      if (!round.byzantine.has(id(p))) h.evidence.equivocation(sender);
    },
  };
}

/**
 * The adversary replica p plays right now. An equivocator lies low (votes as an honest replica
 * would, so nothing betrays it) until its turn to propose; from then on it lies to both halves.
 */
function actingNow(ctx: Ctx, round: RoundState, h: BftHeight, p: number): Adversary | null {
  const agent = h.validators[p];
  const adv = agent ? adversaryOf(ctx, round, agent) : null;
  return adv === 'equivocate' && !h.equivocating[p] ? null : adv;
}

function scheduleEnd(h: BftHeight, at: number, why: 'grace' | 'deadline'): void {
  h.endsQueued += 1;
  h.network.schedule(at, { kind: 'end', why });
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

function settle(h: BftHeight, p: number): void {
  if (h.settled[p]) return;
  h.settled[p] = true;
  if (h.validators[p]?.fault !== 'crash') h.open -= 1;
}

function validityReason(ctx: Ctx, round: RoundState, h: BftHeight, v: number): string {
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

/** The retry event: the round the first replica just left, by the precommits sent in it. */
function retry(ctx: Ctx, round: RoundState, h: BftHeight, _p: number, r: number): void {
  const { accept, any } = precommitWeights(h, r, NONE);
  const proposed = h.own[h.proposers[r] ?? 0] ?? NIL;
  ctx.emit({
    type: 'retry',
    round: round.round,
    attempt: r,
    protocol: 'bft',
    node_id: valueName(h, proposed),
    valid: proposed >= 0 ? h.valid[proposed] === true : null,
    accept_weight: round2(accept),
    reject_weight: round2(any - accept),
    absent_weight: round2(h.total - any),
    total_weight: round2(h.total),
    quorum: round2(h.total * h.rule.fraction),
    failed_operations: ctx.s.agents.filter((a) => a.fault !== null && a.fault !== 'byzantine')
      .length,
    reason: `round ${r} ended without 2f+1 precommits for one node`,
    quorum_rule: h.rule.rule,
    quorum_fraction: Math.round(h.rule.fraction * 10_000) / 10_000,
  });
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** valid(v) at a prevote: V, then the replica's own model (asked once per node per height). */
function judge(
  ctx: Ctx,
  round: RoundState,
  h: BftHeight,
  p: number,
  r: number,
  v: number,
): Judgement {
  const agent = h.validators[p];
  if (!agent) return 'reject';
  const adv = actingNow(ctx, round, h, p);
  // An adversary's mind is made up; a replica that asks its model does so once per node per height.
  const asks = adv === null || adv === 'original';
  const known = asks ? h.judgements.get(p * JUDGED_STRIDE + v) : undefined;
  if (known !== undefined) return known;
  if (adv === 'strategic' || adv === 'silent' || adv === 'equivocate' || !h.valid[v]) {
    // No model needed: the adversary has made up its mind, or V already rejects the value.
    const accept = adv === 'strategic' ? v === h.strategic : adv === 'equivocate';
    const judgement = accept ? 'accept' : 'reject';
    if (asks) h.judgements.set(p * JUDGED_STRIDE + v, judgement);
    ctx.emit({
      type: 'vote',
      round: round.round,
      attempt: r,
      agent: agent.spec.id,
      vote: judgement,
      confidence: adv === null ? 0.95 : 0.99,
      reasoning:
        adv === null
          ? `fails validity: ${validityReason(ctx, round, h, v)}`
          : `byzantine (${adv}): ${accept ? 'accepts' : 'rejects'} ${valueName(h, v) ?? 'the proposal'}`,
      weight: agent.spec.weight,
      status: 'counted',
      corrupted: adv !== null,
      honest_vote: h.valid[v] ? null : 'reject',
    });
    return judgement;
  }
  h.judgements.set(p * JUDGED_STRIDE + v, 'pending');
  askModel(ctx, round, h, p, r, v);
  return 'pending';
}

function askModel(
  ctx: Ctx,
  round: RoundState,
  h: BftHeight,
  p: number,
  r: number,
  v: number,
): void {
  const agent = h.validators[p];
  const name = h.values[v];
  if (!agent || name === undefined) return;
  const callId = `r${round.round}.v${r}.${agent.spec.id}.${v}`;
  ctx.s.calls.set(callId, {
    agent: agent.spec.id,
    round: round.round,
    phase: 'vote',
    attempt: r,
    late: false,
  });
  h.asks.set(callId, [p, v]);
  agent.calls += 1;
  const late = agent.fault === 'slow';
  const think = nextThink(ctx);
  ctx.effect({
    type: 'ask',
    callId,
    agent: agent.spec.id,
    round: round.round,
    phase: 'vote',
    attempt: r,
    request: {
      kind: 'vote',
      agent: agent.spec,
      job: round.job,
      nodes: ctx.cfg.nodes,
      protocol: 'bft',
      candidate: candidateView(ctx, round, h, v, r),
      summaryOnly: false,
    },
    thinkMs: late ? think + ctx.cfg.timing.slowExtraMs : think,
  });
}

function nextThink(ctx: Ctx): number {
  const { thinkMinMs, thinkMaxMs } = ctx.cfg.timing;
  return thinkMinMs + Math.floor(nextFloatOf(ctx) * (thinkMaxMs - thinkMinMs + 1));
}

const nextFloatOf = (ctx: Ctx): number => nextFloat(ctx.s.rng);

/** One view per node per height, shared by every voter's request. */
function agentOrder(ctx: Ctx, id: string): number {
  const a = ctx.s.agentsById.get(id);
  return a ? ctx.s.agents.indexOf(a) : 0;
}

function candidateView(
  ctx: Ctx,
  round: RoundState,
  h: BftHeight,
  v: number,
  r: number,
): CandidateView {
  let c = h.candidates.get(v);
  if (!c) {
    const nodeId = h.values[v] ?? FAKE_NODE_ID;
    const supporters: Supporter[] = [];
    let score = 0;
    // In agent order, not arrival order, so the same proposals make the same candidate.
    const proposals = [...round.proposals].sort(
      (a, b) => agentOrder(ctx, a.agent) - agentOrder(ctx, b.agent),
    );
    for (const p of proposals) {
      if (!p.answer || p.answer.nodeId !== nodeId) continue;
      supporters.push({ agent: p.agent, score: p.answer.score, reasoning: p.answer.reasoning });
      score +=
        (ctx.s.agentsById.get(p.agent)?.spec.weight ?? 0) *
        Math.min(1, Math.max(0, p.answer.score));
    }
    const proposer = h.validators[h.proposers[r] ?? 0]?.spec.id ?? '';
    c = sharedCandidate(ctx.s.candidateCache, round.job.id, {
      nodeId,
      score: round2(score),
      proposer,
      supporters,
    });
    h.candidates.set(v, c);
  }
  return c;
}

/** The model answered a judgement call. */
export function onJudgement(
  ctx: Ctx,
  round: RoundState,
  callId: string,
  vote: { vote: 'accept' | 'reject'; confidence: number; reasoning: string },
  corrupt: (
    agent: AgentState,
  ) => { vote: 'accept' | 'reject'; confidence: number; reasoning: string } | null,
): void {
  const h = round.bft;
  const ask = h?.asks.get(callId);
  if (!h || !ask || h.ended) return;
  h.asks.delete(callId);
  const [p, v] = ask;
  const agent = h.validators[p];
  if (!agent || agent.fault === 'crash') return;
  const corrupted = corrupt(agent);
  const answer = corrupted ?? vote;
  h.judgements.set(p * JUDGED_STRIDE + v, answer.vote);
  emitCountedVote(
    ctx,
    round.round,
    h.replicas[p]?.round ?? 0,
    agent,
    answer,
    corrupted !== null,
    vote.vote,
  );
  h.replicas[p]?.onJudged();
  pump(ctx, round, h);
}

/** A runtime timer fired; true when it was this height's. */
export function onBftTimer(ctx: Ctx, round: RoundState, id: string): boolean {
  const h = round.bft;
  if (!h || !id.startsWith(h.timerPrefix)) return false;
  if (id === h.timer) {
    h.timer = null;
    h.timerAt = Infinity;
  }
  pump(ctx, round, h);
  return true;
}

/** An agent's fault changed while the height runs. */
export function onFaultChange(ctx: Ctx, agent: AgentState, wasCrashed: boolean): void {
  const round = ctx.s.round;
  const h = round?.bft;
  if (!round || !h || h.ended) return;
  if (agent.fault === 'byzantine') round.byzantine.add(agent.spec.id);
  const p = h.validators.indexOf(agent);
  if (p < 0) return;
  if (agent.fault !== null) h.faulty.add(agent);
  const crashed = agent.fault === 'crash';
  if (crashed === wasCrashed) return;
  if (!h.settled[p]) h.open += crashed ? -1 : 1;
  if (!crashed) h.replicas[p]?.resume();
  pump(ctx, round, h);
}

/** Processes everything due, then asks the runtime for one timer at the next due item. */
function pump(ctx: Ctx, round: RoundState, h: BftHeight): void {
  const q = h.network.queue;
  for (let top = q.peek(); top && top.at <= ctx.s.now && !h.ended; top = q.peek()) {
    q.pop();
    process(ctx, round, h, top.item);
    if (!h.ended && h.open <= 0) finish(ctx, round, h);
  }
  if (h.ended) return;
  // No message in flight, no timeout set, no model thinking: the replicas wait for votes nobody
  // will send (over 1/3 cut off or crashed). Waiting out the deadline would change nothing.
  if (q.size === h.endsQueued && h.asks.size === 0) {
    h.stalled = true;
    finish(ctx, round, h);
    return;
  }
  const next = q.peek();
  if (next && next.at < h.timerAt) {
    h.timerAt = next.at;
    h.timer = ctx.schedule(`bft${round.round}`, next.at - ctx.s.now);
  }
}

function process(ctx: Ctx, round: RoundState, h: BftHeight, due: Due): void {
  switch (due.kind) {
    case 'deliver': {
      const weight = h.weights[due.from] ?? 0;
      const msg = due.msg;
      for (let i = due.start; i < due.end; i++) {
        const to = due.to[i] ?? 0;
        const replica = h.replicas[to];
        if (!replica || h.validators[to]?.fault === 'crash') continue;
        if (msg.kind === 'proposal')
          replica.onProposal(due.from, weight, msg.round, due.value, msg.validRound);
        else replica.onVote(msg.kind, due.from, weight, msg.round, due.value);
      }
      break;
    }
    case 'timeout':
      if (h.validators[due.replica]?.fault !== 'crash')
        h.replicas[due.replica]?.onTimeout(due.step, due.round);
      break;
    case 'end':
      h.endsQueued -= 1;
      finish(ctx, round, h);
      break;
    default: {
      const never: never = due;
      return never;
    }
  }
}

function finish(ctx: Ctx, round: RoundState, h: BftHeight): void {
  if (h.ended) return;
  h.ended = true;
  const stale = [...h.asks.keys()];
  for (const id of stale) ctx.s.calls.delete(id);
  if (stale.length > 0) ctx.effect({ type: 'cancel', callIds: stale });
  h.asks.clear();
  finishHeight(ctx, round, h);
  release(h);
}

/**
 * Drops what a finished height holds. Measured (bench/bft.ts, --trace-gc-nvp): a finished
 * height's replicas, tallies and queue otherwise lived on until a full collection, so every
 * young-generation collection copied and promoted about 25 KB per height; emptied here, the
 * collector has half as much to copy. Timers and answers that arrive later see `ended` and stop.
 */
function release(h: BftHeight): void {
  for (const replica of h.replicas) replica.release();
  h.replicas.length = 0;
  h.network.release();
  h.judgements.clear();
  h.candidates.clear();
  h.uniformReceived.clear();
  h.precommitsSent.length = 0;
}
