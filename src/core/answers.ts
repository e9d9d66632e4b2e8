// Recording answers as they arrive: an injected byzantine fault corrupts them here, as its
// adversary would (the original's payloads by default).
import { adversaryOf } from './bft/acting.js';
import { wastefulNode } from './bft/adversary.js';
import { corruptProposal, corruptVote } from './byzantine.js';
import type { Ctx } from './context.js';
import type { AgentState, RoundState } from './state.js';
import type { Adversary, MalformedAnswer, ProposalAnswer, VoteAnswer } from './types.js';
import { checkValidity } from './validity.js';

/**
 * The adversary an agent plays on this answer, or null when it answers honestly. A trusted tally
 * (classic) has nobody to equivocate to: an equivocator falls back to the original's payloads.
 */
function adversaryFor(ctx: Ctx, round: RoundState, agent: AgentState): Adversary | null {
  if (agent.fault !== 'byzantine') return null;
  const adv = adversaryOf(ctx, round, agent);
  return round.protocol === 'classic' && adv === 'equivocate' ? 'original' : adv;
}

function corruptedProposal(
  ctx: Ctx,
  round: RoundState,
  agent: AgentState,
): ProposalAnswer | MalformedAnswer | 'silent' | null {
  const { s, cfg } = ctx;
  switch (adversaryFor(ctx, round, agent)) {
    case null:
    case 'equivocate':
      return null;
    case 'original':
      return corruptProposal(s.rng, cfg.byzantineRate, round.job, cfg.nodes, agent.scripted);
    case 'strategic': {
      const node = wastefulNode(round.job, cfg.nodes);
      return node === null
        ? null
        : {
            kind: 'proposal',
            nodeId: node,
            score: 1.0,
            reasoning: 'Byzantine collusion - the most wasteful valid node',
          };
    }
    case 'silent':
      return 'silent';
    default:
      return null;
  }
}

export function recordProposal(
  ctx: Ctx,
  round: RoundState,
  agent: AgentState,
  honest: ProposalAnswer,
): void {
  const { cfg } = ctx;
  const corrupted = corruptedProposal(ctx, round, agent);
  if (corrupted) round.corrupted.add(agent.spec.id);
  const id = agent.spec.id;
  // Literals written out in full, not spread from a shared base: this runs for every answer.
  if (corrupted === 'silent') {
    round.proposals.push({ agent: id, answer: null, valid: false, counted: false });
    ctx.emit({
      type: 'proposal',
      round: round.round,
      agent: id,
      node_id: null,
      score: null,
      reasoning: 'Byzantine silence - no proposal',
      status: 'absent',
      reason: 'silent',
      corrupted: true,
      honest_node_id: honest.nodeId,
    });
    return;
  }
  if (corrupted?.kind === 'malformed') {
    round.proposals.push({ agent: id, answer: null, valid: false, counted: true });
    ctx.emit({
      type: 'proposal',
      round: round.round,
      agent: id,
      node_id: null,
      score: null,
      reasoning: corrupted.raw,
      status: 'malformed',
      reason: 'missing node_id and score',
      corrupted: true,
      honest_node_id: honest.nodeId,
    });
    return;
  }
  const answer = corrupted ?? honest;
  const validity = checkValidity(round.job, answer.nodeId, cfg.nodes);
  round.proposals.push({ agent: id, answer, valid: validity.valid, counted: true });
  ctx.emit({
    type: 'proposal',
    round: round.round,
    agent: id,
    node_id: answer.nodeId,
    score: answer.score,
    reasoning: answer.reasoning,
    status: validity.valid ? 'valid' : 'invalid',
    reason: validity.valid ? null : validity.reason,
    corrupted: corrupted !== null,
    honest_node_id: honest.nodeId,
  });
}

/** What a byzantine agent's vote becomes, or null when it stands. */
export function corruptJudgement(
  ctx: Ctx,
  round: RoundState,
  agent: AgentState,
): VoteAnswer | null {
  const adv = adversaryFor(ctx, round, agent);
  const candidate = round.candidates[round.attempt];
  switch (adv) {
    case null:
    case 'equivocate':
      return null;
    case 'original':
      return corruptVote(ctx.s.rng, ctx.cfg.byzantineRate, agent.scripted);
    case 'strategic': {
      const accept = candidate?.nodeId === wastefulNode(round.job, ctx.cfg.nodes);
      return {
        kind: 'vote',
        vote: accept ? 'accept' : 'reject',
        confidence: 0.99,
        reasoning: `Byzantine collusion - ${accept ? 'accept' : 'reject'}: only the wasteful node will do`,
      };
    }
    case 'silent':
      return {
        kind: 'vote',
        vote: 'reject',
        confidence: 0.99,
        reasoning: 'Byzantine silence - reject',
      };
    default:
      return null;
  }
}

/** classic: the vote as cast (today's rule; bft votes are its replicas' prevotes). */
export function recordVote(
  ctx: Ctx,
  round: RoundState,
  agent: AgentState,
  honest: VoteAnswer,
): void {
  const corrupted = corruptJudgement(ctx, round, agent);
  if (corrupted) round.corrupted.add(agent.spec.id);
  const answer = corrupted ?? honest;
  round.votes.push({ agent: agent.spec.id, vote: answer.vote, weight: agent.spec.weight });
  emitCountedVote(ctx, round.round, round.attempt, agent, answer, corrupted !== null, honest.vote);
}

/** A vote that counts, as both protocols report it: what was cast, and what the model said. */
export function emitCountedVote(
  ctx: Ctx,
  round: number,
  attempt: number,
  agent: AgentState,
  answer: Omit<VoteAnswer, 'kind'>,
  corrupted: boolean,
  /** What an honest agent would have voted; null when no honest vote is known. */
  honestVote: VoteAnswer['vote'] | null,
): void {
  ctx.emit({
    type: 'vote',
    round,
    attempt,
    agent: agent.spec.id,
    vote: answer.vote,
    confidence: answer.confidence,
    reasoning: answer.reasoning,
    weight: agent.spec.weight,
    status: 'counted',
    corrupted,
    honest_vote: honestVote,
  });
}
