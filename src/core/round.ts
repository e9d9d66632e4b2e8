// One consensus round: propose -> select -> vote -> decide, each phase a fan-out of calls whose
// answers come back as inputs. Under bft a failed vote retries with the next candidate, twice.
import { corruptProposal, corruptVote } from './byzantine.js';
import type { Ctx } from './context.js';
import { round2, selectCandidates, tally } from './protocols.js';
import { nextInt } from './prng.js';
import type { AgentState, OutstandingCall, RoundState } from './state.js';
import type { AgentRequest, JobSpec, ParsedAnswer, ProposalAnswer, VoteAnswer } from './types.js';
import { checkValidity } from './validity.js';

const MAX_ATTEMPTS = 3;

export function startRound(ctx: Ctx, job: JobSpec): void {
  const { s } = ctx;
  s.roundsStarted += 1;
  s.stats.rounds += 1;
  s.round = {
    round: s.roundsStarted,
    job,
    protocol: s.protocol,
    phase: 'propose',
    attempt: 0,
    pending: new Set(),
    proposals: [],
    candidates: [],
    votes: [],
    flagged: new Set(),
    corrupted: new Set(),
    deadlineTimer: null,
    gapTimer: null,
    startedAt: s.now,
  };
  const r = job.requirements;
  ctx.emit({
    type: 'round_start',
    round: s.roundsStarted,
    protocol: s.protocol,
    job: {
      id: job.id,
      title: job.title,
      description: job.description,
      min_gpus: r.minGpus,
      min_ram_gb: r.minRamGb,
      min_cpus: r.minCpus,
    },
  });
  beginPropose(ctx, s.round);
}

function enterPhase(ctx: Ctx, round: RoundState, phase: RoundState['phase']): void {
  round.phase = phase;
  ctx.emit({ type: 'phase', round: round.round, phase, attempt: round.attempt });
}

function buildAsk(ctx: Ctx, round: RoundState, agent: AgentState, request: AgentRequest): void {
  const { s, cfg } = ctx;
  const phase = request.kind;
  const callId = `r${round.round}.${phase === 'propose' ? 'p' : `v${round.attempt}`}.${agent.spec.id}`;
  const late = agent.fault === 'slow';
  const think = nextInt(s.rng, cfg.timing.thinkMinMs, cfg.timing.thinkMaxMs);
  s.calls.set(callId, {
    agent: agent.spec.id,
    round: round.round,
    phase,
    attempt: round.attempt,
    late,
  });
  agent.calls += 1;
  if (!late) round.pending.add(agent.spec.id);
  ctx.effect({
    type: 'ask',
    callId,
    agent: agent.spec.id,
    round: round.round,
    phase,
    attempt: round.attempt,
    request,
    thinkMs: late ? think + cfg.timing.slowExtraMs : think,
  });
}

function armDeadline(ctx: Ctx, round: RoundState): void {
  round.deadlineTimer =
    round.pending.size > 0 ? ctx.schedule('deadline', ctx.cfg.timing.phaseDeadlineMs) : null;
  if (round.pending.size === 0) closeCallPhase(ctx, round);
}

function beginPropose(ctx: Ctx, round: RoundState): void {
  enterPhase(ctx, round, 'propose');
  for (const agent of ctx.s.agents) {
    if (agent.fault === 'crash') {
      ctx.emit({
        type: 'proposal',
        round: round.round,
        agent: agent.spec.id,
        node_id: null,
        score: null,
        reasoning: 'agent is crashed',
        status: 'absent',
        reason: 'crashed',
        corrupted: false,
      });
      continue;
    }
    buildAsk(ctx, round, agent, {
      kind: 'propose',
      agent: agent.spec,
      job: round.job,
      nodes: ctx.cfg.nodes,
      protocol: round.protocol,
    });
  }
  armDeadline(ctx, round);
}

/** An answer came back. Returns nothing; the round moves on by itself when a phase is complete. */
export function onAnswer(ctx: Ctx, callId: string, answer: ParsedAnswer): void {
  const { s } = ctx;
  const call = s.calls.get(callId);
  if (!call) return; // cancelled or unknown: a stale stream, ignored
  s.calls.delete(callId);
  const round = s.round;
  const agent = s.agents.find((a) => a.spec.id === call.agent);
  if (!agent) return;
  const current =
    round !== null &&
    round.round === call.round &&
    round.phase === call.phase &&
    round.attempt === call.attempt &&
    round.pending.has(call.agent);
  if (!current || call.late || agent.fault === 'crash' || agent.fault === 'slow') {
    emitLate(ctx, call, agent);
    return;
  }
  round.pending.delete(call.agent);
  if (call.phase === 'propose' && answer.kind === 'proposal')
    recordProposal(ctx, round, agent, answer);
  else if (call.phase === 'vote' && answer.kind === 'vote') recordVote(ctx, round, agent, answer);
  if (round.pending.size === 0) closeCallPhase(ctx, round);
}

function emitLate(ctx: Ctx, call: OutstandingCall, agent: AgentState): void {
  const reason =
    agent.fault === 'crash' ? 'crashed while answering' : 'answer missed the phase deadline';
  if (call.phase === 'propose') {
    ctx.emit({
      type: 'proposal',
      round: call.round,
      agent: agent.spec.id,
      node_id: null,
      score: null,
      reasoning: reason,
      status: 'late',
      reason,
      corrupted: false,
    });
  } else {
    ctx.emit({
      type: 'vote',
      round: call.round,
      attempt: call.attempt,
      agent: agent.spec.id,
      vote: null,
      confidence: null,
      reasoning: reason,
      weight: agent.spec.weight,
      status: 'late',
      corrupted: false,
    });
  }
}

function recordProposal(
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

function recordVote(ctx: Ctx, round: RoundState, agent: AgentState, honest: VoteAnswer): void {
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

/** All expected answers are in (or the deadline passed): pause for the phase gap, then move on. */
function closeCallPhase(ctx: Ctx, round: RoundState): void {
  if (round.pending.size > 0) {
    const stale = [...ctx.s.calls]
      .filter(([, c]) => c.round === round.round && round.pending.has(c.agent) && !c.late)
      .map(([id]) => id);
    for (const id of stale) ctx.s.calls.delete(id);
    if (stale.length > 0) ctx.effect({ type: 'cancel', callIds: stale });
    for (const agentId of round.pending) {
      const agent = ctx.s.agents.find((a) => a.spec.id === agentId);
      if (agent)
        emitLate(
          ctx,
          {
            agent: agentId,
            round: round.round,
            phase: round.phase === 'vote' ? 'vote' : 'propose',
            attempt: round.attempt,
            late: true,
          },
          agent,
        );
    }
    round.pending.clear();
  }
  round.deadlineTimer = null;
  round.gapTimer = ctx.schedule('gap', ctx.cfg.timing.phaseGapMs);
}

/** A faulted agent no longer answers in time: stop waiting for it. */
export function dropFromPhase(ctx: Ctx, agentId: string): void {
  const round = ctx.s.round;
  if (!round || !round.pending.has(agentId)) return;
  round.pending.delete(agentId);
  for (const c of ctx.s.calls.values())
    if (c.agent === agentId && c.round === round.round) c.late = true;
  if (round.pending.size === 0 && round.deadlineTimer !== null) closeCallPhase(ctx, round);
}

/** Returns true when the round is over and the script may go on. */
export function onRoundTimer(ctx: Ctx, id: string): boolean {
  const round = ctx.s.round;
  if (!round) return false;
  if (id === round.deadlineTimer) {
    closeCallPhase(ctx, round);
    return false;
  }
  if (id !== round.gapTimer) return false;
  round.gapTimer = null;
  switch (round.phase) {
    case 'propose':
      select(ctx, round);
      return false;
    case 'select':
      beginVote(ctx, round);
      return false;
    case 'vote':
      decide(ctx, round);
      return false;
    case 'decide':
      if (round.retry) {
        round.retry = false;
        round.attempt += 1;
        select(ctx, round);
        return false;
      }
      finishRound(ctx, round);
      return true;
    case 'idle':
      return true;
    default: {
      const never: never = round.phase;
      return never;
    }
  }
}

function select(ctx: Ctx, round: RoundState): void {
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

function beginVote(ctx: Ctx, round: RoundState): void {
  enterPhase(ctx, round, 'vote');
  round.votes = [];
  const candidate = round.candidates[round.attempt];
  if (!candidate) {
    armDeadline(ctx, round);
    return;
  }
  for (const agent of ctx.s.agents) {
    const absentWhy =
      agent.fault === 'crash'
        ? 'agent is crashed'
        : round.protocol === 'bft' && agent.quarantined
          ? 'quarantined: vote counted as absent'
          : null;
    if (absentWhy) {
      ctx.emit({
        type: 'vote',
        round: round.round,
        attempt: round.attempt,
        agent: agent.spec.id,
        vote: null,
        confidence: null,
        reasoning: absentWhy,
        weight: agent.spec.weight,
        status: 'absent',
        corrupted: false,
      });
      continue;
    }
    buildAsk(ctx, round, agent, {
      kind: 'vote',
      agent: agent.spec,
      job: round.job,
      nodes: ctx.cfg.nodes,
      protocol: round.protocol,
      candidate,
      summaryOnly: round.protocol === 'classic',
    });
  }
  armDeadline(ctx, round);
}

function decide(ctx: Ctx, round: RoundState): void {
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
  const outcome = committed ? 'committed' : canRetry ? 'retry' : 'no_decision';
  ctx.emit({
    type: 'decision',
    round: round.round,
    attempt: round.attempt,
    protocol: round.protocol,
    outcome,
    node_id: candidate?.nodeId ?? null,
    valid: validity ? validity.valid : null,
    unsafe: committed && validity !== null && !validity.valid,
    accept_weight: t.accept,
    reject_weight: t.reject,
    absent_weight: t.absent,
    total_weight: t.total,
    quorum: t.quorum,
    failed_operations: failed,
    reason: committed
      ? null
      : noDecisionReason(ctx, round, t.accept, t.quorum, candidate === undefined),
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

function finishRound(ctx: Ctx, round: RoundState): void {
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

function updateReputation(ctx: Ctx, round: RoundState): void {
  const answered = new Set(round.proposals.map((p) => p.agent));
  for (const agent of ctx.s.agents) {
    const before = agent.reputation;
    const wasQuarantined = agent.quarantined;
    if (round.flagged.has(agent.spec.id))
      agent.reputation = round2(Math.max(0, agent.reputation - 0.35));
    else if (answered.has(agent.spec.id))
      agent.reputation = round2(Math.min(1, agent.reputation + 0.1));
    // Hysteresis: quarantined below 0.5, released only at 0.8, so one clean round does not readmit.
    agent.quarantined = agent.reputation < 0.5 || (agent.quarantined && agent.reputation < 0.8);
    if (agent.reputation !== before || agent.quarantined !== wasQuarantined) {
      ctx.emit({
        type: 'reputation',
        agent: agent.spec.id,
        reputation: agent.reputation,
        quarantined: agent.quarantined,
      });
    }
  }
}
