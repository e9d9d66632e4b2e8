// Choosing the candidate and counting the votes, per protocol; under bft a failed vote moves
// to the next candidate (at most MAX_ATTEMPTS in all), then the round ends with its reason.
import type { Ctx } from './context.js';
import { enterPhase } from './phase.js';
import { round2, selectCandidates, tally } from './protocols.js';
import { updateReputation } from './reputation.js';
import type { AgentState, RoundState } from './state.js';
import { checkValidity } from './validity.js';

export const MAX_ATTEMPTS = 3;

export function select(ctx: Ctx, round: RoundState): void {
  enterPhase(ctx, round, 'select');
  if (round.attempt === 0) {
    round.candidates = selectCandidates(round.protocol, round.proposals, ctx.cfg.agents);
    if (round.protocol === 'bft') gatherEvidence(ctx, round);
  }
  const candidate = round.candidates[round.attempt];
  if (candidate) {
    const v = checkValidity(round.job, candidate.nodeId, ctx.cfg.nodes);
    ctx.emit({
      type: 'candidate',
      round: round.round,
      attempt: round.attempt,
      node_id: candidate.nodeId,
      score: candidate.score,
      proposer: candidate.proposer,
      valid: v.valid,
      reason: v.valid ? null : v.reason,
    });
  }
  round.gapTimer = ctx.schedule('gap', ctx.cfg.timing.phaseGapMs);
}

function gatherEvidence(ctx: Ctx, round: RoundState): void {
  for (const p of round.proposals) {
    if (p.valid) continue;
    round.flagged.add(p.agent);
    const detail = p.answer
      ? checkValidityReason(ctx, round, p.answer.nodeId)
      : 'proposal fails the schema (no node_id/score)';
    ctx.emit({
      type: 'evidence',
      round: round.round,
      agent: p.agent,
      kind: p.answer ? 'invalid_proposal' : 'malformed_proposal',
      detail,
    });
  }
}

function checkValidityReason(ctx: Ctx, round: RoundState, nodeId: string): string {
  const v = checkValidity(round.job, nodeId, ctx.cfg.nodes);
  return v.valid ? 'valid' : v.reason;
}

export function decide(ctx: Ctx, round: RoundState): void {
  enterPhase(ctx, round, 'decide');
  const candidate = round.candidates[round.attempt];
  const t = tally(round.protocol, round.votes, ctx.totalWeight);
  const failed = ctx.s.agents.filter((a) => a.fault === 'crash' || a.fault === 'slow').length;
  const validity = candidate ? checkValidity(round.job, candidate.nodeId, ctx.cfg.nodes) : null;
  const committed = candidate !== undefined && t.committed;
  const canRetry =
    !committed &&
    round.protocol === 'bft' &&
    round.attempt + 1 < MAX_ATTEMPTS &&
    round.candidates[round.attempt + 1] !== undefined;
  round.retry = canRetry;
  const fields = {
    round: round.round,
    attempt: round.attempt,
    protocol: round.protocol,
    node_id: candidate?.nodeId ?? null,
    valid: validity ? validity.valid : null,
    accept_weight: t.accept,
    reject_weight: t.reject,
    absent_weight: t.absent,
    total_weight: t.total,
    quorum: t.quorum,
    failed_operations: failed,
    reason: committed
      ? null
      : noDecisionReason(ctx, round, t.accept, t.quorum, candidate === undefined),
  };
  if (canRetry) ctx.emit({ type: 'retry', ...fields });
  else
    ctx.emit({
      type: 'decision',
      outcome: committed ? 'committed' : 'no_decision',
      unsafe: committed && validity !== null && !validity.valid,
      ...fields,
    });
  if (committed) {
    ctx.s.stats.committed += 1;
    if (validity && !validity.valid) ctx.s.stats.invalidCommits += 1;
  } else if (!canRetry) ctx.s.stats.noDecision += 1;
  round.gapTimer = ctx.schedule('gap', ctx.cfg.timing.phaseGapMs);
}

function noDecisionReason(
  ctx: Ctx,
  round: RoundState,
  accept: number,
  quorum: number,
  noCandidate: boolean,
): string {
  const total = round2(ctx.totalWeight);
  const cmp = round.protocol === 'bft' ? 'is not over' : 'is under';
  const base = noCandidate
    ? 'no valid proposal to vote on'
    : `accept ${accept} of ${total} ${cmp} the quorum ${quorum}`;
  const sum = (pred: (a: AgentState) => boolean) =>
    round2(ctx.s.agents.filter(pred).reduce((s, a) => s + a.spec.weight, 0));
  const faulty = sum((a) => a.fault !== null);
  // A healed agent still in quarantine votes as absent: it costs liveness like a fault does.
  const quarantined = round.protocol === 'bft' ? sum((a) => a.fault === null && a.quarantined) : 0;
  if ((faulty + quarantined) * 3 < ctx.totalWeight) return base;
  const what =
    quarantined > 0
      ? `faulty weight ${faulty} + quarantined ${quarantined}`
      : `faulty weight ${faulty}`;
  return `${base}; ${what} of ${total} is over the 1/3 the protocol tolerates`;
}

export function finishRound(ctx: Ctx, round: RoundState): void {
  if (round.protocol === 'bft') {
    updateReputation(ctx, round);
    const { stats } = ctx.s;
    stats.flagged += round.flagged.size;
    stats.corrupted += round.corrupted.size;
    for (const a of round.flagged) if (round.corrupted.has(a)) stats.truePositives += 1;
  }
  round.phase = 'idle';
  ctx.emit({ type: 'phase', round: round.round, phase: 'idle', attempt: round.attempt });
  ctx.s.round = null;
}
