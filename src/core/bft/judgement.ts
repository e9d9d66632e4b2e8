// A replica's own model judging a proposal at prevote (Tendermint's valid(v), with the model's view
// of quality in it): the call that asks it, and the candidate it is shown.
import { emitCountedVote } from '../answers.js';
import { FAKE_NODE_ID } from '../catalogue.js';
import type { Ctx } from '../context.js';
import { nextInt } from '../prng.js';
import { round2 } from '../protocols.js';
import type { RoundState } from '../state.js';
import type { CandidateView, Supporter } from '../types.js';
import { sharedCandidate } from './candidates.js';
import {
  actingNow,
  type BftHeight,
  JUDGED_STRIDE,
  validityReason,
  valueName,
} from './height-state.js';
import type { Judgement } from './replica.js';

/** valid(v) at a prevote: V, then the replica's own model (asked once per node per height). */
export function judge(
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
    emitCountedVote(
      ctx,
      round.round,
      r,
      agent,
      {
        vote: judgement,
        confidence: adv === null ? 0.95 : 0.99,
        reasoning:
          adv === null
            ? `fails validity: ${validityReason(ctx, round, h, v)}`
            : `byzantine (${adv}): ${accept ? 'accepts' : 'rejects'} ${valueName(h, v) ?? 'the proposal'}`,
      },
      adv !== null,
      h.valid[v] ? null : 'reject',
    );
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
  const think = nextInt(ctx.s.rng, ctx.cfg.timing.thinkMinMs, ctx.cfg.timing.thinkMaxMs);
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

/** One view per node per height, shared by every voter's request. */
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
    const order = (id: string) => ctx.s.agentsById.get(id)?.order ?? 0;
    const proposals = [...round.proposals].sort((a, b) => order(a.agent) - order(b.agent));
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
