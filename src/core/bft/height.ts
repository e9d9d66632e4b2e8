// One bft height (one job): the validators' replicas, the network between them, and the glue to
// the engine. Messages and replica timeouts wait in the network's queue; the runtime is asked for
// one timer, at the next due item, and everything due is processed in one go.
import { emitCountedVote } from '../answers.js';
import { cancelCalls } from '../cancel-calls.js';
import type { Ctx } from '../context.js';
import { packedMap } from '../packed.js';
import { quorumRule, thresholds } from '../quorum.js';
import type { AgentState, RoundState } from '../state.js';
import { wastefulNode } from './adversary.js';
import { Evidence } from './evidence.js';
import {
  type BftHeight,
  JUDGED_STRIDE,
  MALFORMED,
  heightDeadlineMs,
  indexOf,
  MAX_BFT_ROUNDS,
  scheduleEnd,
  voteBook,
} from './height-state.js';
import { enterRound, HeightHost } from './host.js';
import { type Due, Network } from './network.js';
import { finishHeight } from './outcome.js';
import { Replica } from './replica.js';
import { COUNTED, NIL, NONE } from './tally.js';

export function startHeight(
  ctx: Ctx,
  round: RoundState,
  proposers: (validators: AgentState[]) => string[],
): void {
  const { cfg, s } = ctx;
  const validators = s.agents.filter((a) => a.jailedUntil === null);
  const n = validators.length;
  const weights = packedMap(validators, (a) => a.spec.weight);
  const total = weights.reduce((a, b) => a + b, 0);
  const rule = quorumRule('bft', s.quorum);
  const h: BftHeight = {
    validators,
    weights,
    total,
    rule,
    thresholds: thresholds(rule, total),
    books: { prevote: [], precommit: [] },
    values: [],
    valueIndex: new Map(),
    valid: [],
    replicas: [],
    proposers: [],
    network: new Network(s.rng, cfg.network, n, validators, s.networkScratch),
    own: [],
    judgements: new Map(),
    asks: new Map(),
    candidates: new Map(),
    strategic: NIL,
    timer: null,
    timerAt: Infinity,
    timerPrefix: `bft${round.round}:`,
    open: 0,
    settled: packedMap(validators, () => false),
    graceArmed: false,
    endsQueued: 0,
    stalled: false,
    ended: false,
    decisions: packedMap(validators, () => ({ value: NONE, round: -1 })),
    uniformReceived: new Map(),
    equivocating: packedMap(validators, () => false),
    maxRound: 0,
    faulty: new Set(validators.filter((a) => a.fault !== null)),
    precommitsSent: [],
    evidence: new Evidence(),
  };
  round.bft = h;
  for (const node of cfg.nodes) indexOf(h, ctx, round, node.id);
  const byAgent = new Map(round.proposals.map((p) => [p.agent, p]));
  h.own = packedMap(validators, (a) => {
    const p = byAgent.get(a.spec.id);
    if (!p || !p.counted) return NIL;
    return indexOf(h, ctx, round, p.answer ? p.answer.nodeId : MALFORMED);
  });
  const wasteful = wastefulNode(round.job, cfg.nodes);
  h.strategic = wasteful === null ? NIL : indexOf(h, ctx, round, wasteful);
  const order = proposers(validators);
  const byId = new Map(validators.map((a, i) => [a.spec.id, i]));
  h.proposers = packedMap(order, (id) => byId.get(id) ?? 0);
  const host = new HeightHost(ctx, round, h);
  h.replicas = packedMap(validators, (_, i) => new Replica(i, host));
  for (const a of validators) if (a.fault === 'byzantine') round.byzantine.add(a.spec.id);
  h.open = validators.filter((a) => a.fault !== 'crash').length;
  scheduleEnd(h, s.now + heightDeadlineMs(ctx), 'deadline');
  enterRound(ctx, round, h, 0);
  for (let i = 0; i < n; i++) if (validators[i]?.fault !== 'crash') h.replicas[i]?.start();
  pump(ctx, round, h);
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

/**
 * Processes everything due, then asks the runtime for one timer at the next due item; or, when
 * the input's horizon allows (Ctx.runAheadTo), moves on to that item and goes on without the
 * round trip (a timer per delivery time was most of what a 5-agent height cost the runtime).
 * Each time it has caught up it looks for a stall as a timer would have, so running ahead
 * changes nothing a run shows.
 */
function pump(ctx: Ctx, round: RoundState, h: BftHeight): void {
  const q = h.network.queue;
  let nextAt = q.nextAt();
  for (;;) {
    for (; nextAt <= ctx.s.now && !h.ended; nextAt = q.nextAt()) {
      process(ctx, round, h, q.pop() as Due);
      if (!h.ended && h.open <= 0) finish(ctx, round, h);
    }
    if (h.ended) return;
    // No message in flight, no timeout set, no model thinking: the replicas wait for votes
    // nobody will send (over 1/3 cut off or crashed). Waiting out the deadline would change
    // nothing.
    if (q.size === h.endsQueued && h.asks.size === 0) {
      h.stalled = true;
      finish(ctx, round, h);
      return;
    }
    if (nextAt === Infinity || !ctx.runAheadTo(nextAt)) break;
  }
  if (nextAt < h.timerAt) {
    h.timerAt = nextAt;
    h.timer = ctx.schedule(`bft${round.round}`, nextAt - ctx.s.now);
  }
}

function process(ctx: Ctx, round: RoundState, h: BftHeight, due: Due): void {
  switch (due.kind) {
    case 'deliver': {
      const weight = h.weights[due.from] ?? 0;
      const msg = due.msg;
      if (msg.kind === 'proposal') {
        for (let i = due.start; i < due.end; i++) {
          const to = due.to[i] ?? 0;
          const replica = h.replicas[to];
          if (!replica || h.validators[to]?.fault === 'crash') continue;
          replica.onProposal(due.from, weight, msg.round, due.value, msg.validRound);
        }
      } else if (msg.round < MAX_BFT_ROUNDS) deliverVote(h, due, msg.kind, msg.round, weight);
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

/**
 * Replica.onVote for each receiver, with the counting done here: a vote that counted, crossed no
 * threshold and brought no conflict changes nothing but the count at a replica whose rules have
 * settled (Replica.wants), and at 100 agents that is nearly all of a height's 20,000.
 */
function deliverVote(
  h: BftHeight,
  due: Extract<Due, { kind: 'deliver' }>,
  step: 'prevote' | 'precommit',
  round: number,
  weight: number,
): void {
  const book = voteBook(h, step, round);
  const { from, value, to } = due;
  for (let i = due.start; i < due.end; i++) {
    const p = to[i] ?? 0;
    const replica = h.replicas[p];
    if (!replica || h.validators[p]?.fault === 'crash') continue;
    const added = book.add(p, from, value, weight);
    if (added === COUNTED && !replica.wants(round)) continue;
    replica.counted(step, from, weight, round, added);
  }
}

function finish(ctx: Ctx, round: RoundState, h: BftHeight): void {
  if (h.ended) return;
  h.ended = true;
  if (h.asks.size > 0) cancelCalls(ctx, [...h.asks.keys()], 'height_ended');
  h.asks.clear();
  finishHeight(ctx, round, h);
}
