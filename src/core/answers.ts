// Recording answers as they arrive: an injected byzantine fault corrupts them here (the
// original's payloads), and an honest bft voter applies the validity predicate itself.
import { corruptProposal, corruptVote } from './byzantine.js';
import type { Ctx } from './context.js';
import type { AgentState, RoundState } from './state.js';
import type { ProposalAnswer, VoteAnswer } from './types.js';
import { checkValidity } from './validity.js';

export function recordProposal(
  ctx: Ctx,
  round: RoundState,
  agent: AgentState,
  honest: ProposalAnswer,
): void {
  const { s, cfg } = ctx;
  const corrupted =
    agent.fault === 'byzantine'
      ? corruptProposal(s.rng, cfg.byzantineRate, round.job, cfg.nodes)
      : null;
  if (corrupted) round.corrupted.add(agent.spec.id);
  const id = agent.spec.id;
  // Literals written out in full, not spread from a shared base: this runs for every answer.
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
    });
    return;
  }
  const answer = corrupted ?? honest;
  const validity = checkValidity(round.job, answer.nodeId, cfg.nodes);
  const ignored = round.protocol === 'bft' && agent.quarantined;
  round.proposals.push({ agent: id, answer, valid: validity.valid, counted: !ignored });
  ctx.emit({
    type: 'proposal',
    round: round.round,
    agent: id,
    node_id: answer.nodeId,
    score: answer.score,
    reasoning: answer.reasoning,
    status: ignored ? 'ignored' : validity.valid ? 'valid' : 'invalid',
    reason: ignored ? 'quarantined' : validity.valid ? null : validity.reason,
    corrupted: corrupted !== null,
  });
}

export function recordVote(
  ctx: Ctx,
  round: RoundState,
  agent: AgentState,
  honest: VoteAnswer,
): void {
  const { s, cfg } = ctx;
  const corrupted = agent.fault === 'byzantine' ? corruptVote(s.rng, cfg.byzantineRate) : null;
  if (corrupted) round.corrupted.add(agent.spec.id);
  let answer = corrupted ?? honest;
  let status: 'counted' | 'overridden' = 'counted';
  const candidate = round.candidates[round.attempt];
  // An honest bft voter applies V itself: it never accepts an invalid candidate, whatever its model said.
  if (
    !corrupted &&
    round.protocol === 'bft' &&
    answer.vote === 'accept' &&
    candidate &&
    !checkValidity(round.job, candidate.nodeId, cfg.nodes).valid
  ) {
    answer = {
      ...answer,
      vote: 'reject',
      reasoning: `overridden: candidate fails validity. ${answer.reasoning}`,
    };
    status = 'overridden';
  }
  round.votes.push({ agent: agent.spec.id, vote: answer.vote, weight: agent.spec.weight });
  ctx.emit({
    type: 'vote',
    round: round.round,
    attempt: round.attempt,
    agent: agent.spec.id,
    vote: answer.vote,
    confidence: answer.confidence,
    reasoning: answer.reasoning,
    weight: agent.spec.weight,
    status,
    corrupted: corrupted !== null,
  });
}
