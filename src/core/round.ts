// One consensus round: propose -> select -> vote -> decide, each phase a fan-out of calls whose
// answers come back as inputs. This file asks and routes; answers.ts records what comes back,
// decide.ts chooses and counts.
import { recordProposal, recordVote, corruptJudgement } from './answers.js';
import { onBftTimer, onJudgement, startHeight } from './bft/height.js';
import { MAX_BFT_ROUNDS } from './bft/height-state.js';
import { releaseDue } from './bft/jail.js';
import { powerOf } from './bft/proposer.js';
import { cancelCalls } from './cancel-calls.js';
import type { Ctx } from './context.js';
import { decide, finishRound, select } from './decide.js';
import { enterPhase } from './phase.js';
import { dropKey } from './churn.js';
import { packedMap } from './packed.js';
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
    acting: new Map(),
    byzantine: new Set(),
    bft: null,
    deadlineTimer: null,
    gapTimer: null,
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
  if (s.protocol === 'bft') releaseDue(ctx, s.roundsStarted);
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
    const jailed = round.protocol === 'bft' && agent.jailedUntil !== null;
    if (agent.fault === 'crash' || agent.fault === 'partition' || jailed) {
      const why = jailed ? 'jailed' : agent.fault === 'crash' ? 'crashed' : 'partitioned';
      ctx.emit({
        type: 'proposal',
        round: round.round,
        agent: agent.spec.id,
        node_id: null,
        score: null,
        reasoning: `agent is ${why}`,
        status: jailed ? 'ignored' : 'absent',
        reason: why,
        corrupted: false,
        honest_node_id: null,
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
  s.calls = dropKey(s.calls, callId);
  const round = s.round;
  const agent = s.agentsById.get(call.agent);
  if (!agent) return;
  if (round?.bft && call.phase === 'vote') {
    if (answer.kind === 'vote' && call.round === round.round)
      onJudgement(ctx, round, callId, answer, (a) => corruptJudgement(ctx, round, a));
    return;
  }
  const current =
    round !== null &&
    round.round === call.round &&
    round.phase === call.phase &&
    round.attempt === call.attempt &&
    round.pending.has(call.agent);
  if (
    !current ||
    call.late ||
    agent.fault === 'crash' ||
    agent.fault === 'slow' ||
    agent.fault === 'partition'
  ) {
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
    agent.fault === 'crash'
      ? 'crashed while answering'
      : agent.fault === 'partition'
        ? 'partitioned while answering'
        : 'answer missed the phase deadline';
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
      honest_node_id: null,
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
      honest_vote: null,
    });
  }
}

/** All expected answers are in (or the deadline passed): pause for the phase gap, then move on. */
function closeCallPhase(ctx: Ctx, round: RoundState): void {
  if (round.pending.size > 0) {
    const stale = [...ctx.s.calls]
      .filter(([, c]) => c.round === round.round && round.pending.has(c.agent) && !c.late)
      .map(([id]) => id);
    cancelCalls(ctx, stale, 'deadline');
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
  if (onBftTimer(ctx, round, id)) return false;
  if (id === round.deadlineTimer) {
    closeCallPhase(ctx, round);
    return false;
  }
  if (id !== round.gapTimer) return false;
  round.gapTimer = null;
  switch (round.phase) {
    case 'propose':
      if (round.protocol === 'bft') startHeight(ctx, round, (v) => proposers(ctx, v));
      else select(ctx, round);
      return false;
    case 'select':
      beginVote(ctx, round);
      return false;
    case 'vote':
      decide(ctx, round);
      return false;
    case 'decide':
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

/** The proposers of the coming height's rounds, by CometBFT's weighted rotation. */
function proposers(ctx: Ctx, validators: readonly AgentState[]): string[] {
  return ctx.s.proposerPriority.nextHeight(
    packedMap(validators, (a) => ({
      id: a.spec.id,
      order: a.order,
      power: powerOf(a.spec.weight),
    })),
    MAX_BFT_ROUNDS,
  );
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
        : agent.fault === 'partition'
          ? 'agent is partitioned'
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
        honest_vote: null,
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
