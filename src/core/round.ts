// One consensus round: propose -> select -> vote -> decide, each phase a fan-out of calls whose
// answers come back as inputs. This file asks and routes; answers.ts records what comes back,
// decide.ts chooses and counts.
import { recordProposal, recordVote } from './answers.js';
import type { Ctx } from './context.js';
import { decide, finishRound, select } from './decide.js';
import { enterPhase } from './phase.js';
import { nextInt } from './prng.js';
import type { AgentState, OutstandingCall, RoundState } from './state.js';
import type { AgentRequest, JobSpec, ParsedAnswer } from './types.js';

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
  const agent = s.agentsById.get(call.agent);
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

/** All expected answers are in (or the deadline passed): pause for the phase gap, then move on. */
function closeCallPhase(ctx: Ctx, round: RoundState): void {
  if (round.pending.size > 0) {
    const stale = [...ctx.s.calls]
      .filter(([, c]) => c.round === round.round && round.pending.has(c.agent) && !c.late)
      .map(([id]) => id);
    for (const id of stale) ctx.s.calls.delete(id);
    if (stale.length > 0) ctx.effect({ type: 'cancel', callIds: stale });
    for (const agentId of round.pending) {
      const agent = ctx.s.agentsById.get(agentId);
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
