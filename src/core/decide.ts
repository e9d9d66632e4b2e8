// classic: choosing the candidate and counting the votes with the original's trusted tally. (bft
// decides in its replicas: bft/.)
import type { Ctx } from './context.js';
import { enterPhase } from './phase.js';
import { round2, selectCandidates, tally } from './protocols.js';
import { quorumRule, shownFraction, type QuorumRule } from './quorum.js';
import type { RoundState } from './state.js';
import { quality } from './utility.js';
import { checkValidity } from './validity.js';

export function select(ctx: Ctx, round: RoundState): void {
  enterPhase(ctx, round, 'select');
  if (round.attempt === 0) round.candidates = selectCandidates(round.proposals, ctx.cfg.agents);
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

export function decide(ctx: Ctx, round: RoundState): void {
  enterPhase(ctx, round, 'decide');
  const candidate = round.candidates[round.attempt];
  const rule = quorumRule(round.protocol, ctx.s.quorum);
  const t = tally(rule, round.votes, ctx.totalWeight);
  const failed = ctx.s.agents.filter(
    (a) => a.fault === 'crash' || a.fault === 'slow' || a.fault === 'partition',
  ).length;
  const validity = candidate ? checkValidity(round.job, candidate.nodeId, ctx.cfg.nodes) : null;
  const committed = candidate !== undefined && t.committed;
  const nodeId = candidate?.nodeId ?? null;
  const q = quality(round.job, ctx.cfg.nodes, committed ? nodeId : null);
  // A trusted tally: whatever it commits, every agent takes.
  const commits: Record<string, string | null> = {};
  for (const a of ctx.s.agents) commits[a.spec.id] = committed ? nodeId : null;
  const faulty = round2(
    ctx.s.agents.reduce((w, a) => w + (a.fault !== null ? a.spec.weight : 0), 0),
  );
  const byzantine = round2(
    ctx.s.agents.reduce((w, a) => w + (a.fault === 'byzantine' ? a.spec.weight : 0), 0),
  );
  ctx.emit({
    type: 'decision',
    outcome: committed ? 'committed' : 'no_decision',
    unsafe: committed && validity !== null && !validity.valid,
    round: round.round,
    attempt: round.attempt,
    protocol: round.protocol,
    node_id: nodeId,
    valid: validity ? validity.valid : null,
    accept_weight: t.accept,
    reject_weight: t.reject,
    absent_weight: t.absent,
    total_weight: t.total,
    quorum: t.quorum,
    failed_operations: failed,
    reason: committed
      ? null
      : noDecisionReason(ctx, rule.rule, t.accept, t.quorum, candidate === undefined),
    commits,
    fork: false,
    best_node_id: q.bestNodeId,
    regret: committed ? q.regret : null,
    proposer: candidate?.proposer ?? null,
    quorum_rule: rule.rule,
    quorum_fraction: shownFraction(rule),
    faulty_weight: faulty,
    byzantine_weight: byzantine,
    jailed_weight: 0,
    rounds_used: 1,
  });
  const st = ctx.s.stats;
  if (committed) {
    st.committed += 1;
    if (validity && !validity.valid) st.invalidCommits += 1;
    if (q.regret !== null) {
      st.regretSum += q.regret;
      st.regretCount += 1;
      if (q.regret === 0) st.bestCommits += 1;
    }
  } else st.noDecision += 1;
  round.gapTimer = ctx.schedule('gap', ctx.cfg.timing.phaseGapMs);
}

function noDecisionReason(
  ctx: Ctx,
  rule: QuorumRule['rule'],
  accept: number,
  quorum: number,
  noCandidate: boolean,
): string {
  const total = round2(ctx.totalWeight);
  const base = noCandidate
    ? 'no valid proposal to vote on'
    : `accept ${accept} of ${total} ${rule === 'at_least' ? 'is under' : 'is not over'} the quorum ${quorum}`;
  const faulty = round2(
    ctx.s.agents.filter((a) => a.fault !== null).reduce((s, a) => s + a.spec.weight, 0),
  );
  if (faulty * 3 < ctx.totalWeight) return base;
  return `${base}; faulty weight ${faulty} of ${total} is over the 1/3 the protocol tolerates`;
}

export function finishRound(ctx: Ctx, round: RoundState): void {
  if (round.protocol === 'bft') {
    const { stats } = ctx.s;
    stats.flagged += round.flagged.size;
    stats.corrupted += round.corrupted.size;
    for (const a of round.flagged) if (round.corrupted.has(a)) stats.truePositives += 1;
  }
  round.phase = 'idle';
  ctx.emit({ type: 'phase', round: round.round, phase: 'idle', attempt: round.attempt });
  ctx.s.round = null;
}
