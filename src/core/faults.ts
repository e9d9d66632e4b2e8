// Injecting and healing faults. Recovery is driven by timers on the simulated clock, never
// checked lazily; a generation counter makes a superseded timer harmless.
import type { Ctx } from './context.js';
import { nextInt } from './prng.js';
import { dropFromPhase } from './round.js';
import type { AgentState } from './state.js';
import type { FaultKind } from './types.js';

export function inject(
  ctx: Ctx,
  agent: AgentState,
  kind: FaultKind,
  durationMs: number | undefined,
  by: 'scenario' | 'user',
): void {
  const [min, max] = ctx.cfg.faultDurationMs;
  // Drawn even when the duration is given, so a replay that passes the recorded duration
  // consumes the same random numbers as the run it replays.
  const drawn = nextInt(ctx.s.rng, min, max);
  const duration = durationMs ?? drawn;
  agent.fault = kind;
  agent.faultGen += 1;
  agent.faultUntil = ctx.s.now + duration;
  ctx.effect({ type: 'timer', id: recoveryTimerId(agent), at: agent.faultUntil });
  ctx.emit({
    type: 'fault',
    agent: agent.spec.id,
    kind,
    duration_ms: duration,
    recover_at: agent.faultUntil,
    by,
  });
  if (kind !== 'byzantine') dropFromPhase(ctx, agent.spec.id);
}

export function recover(ctx: Ctx, agent: AgentState, by: 'timer' | 'user' | 'scenario'): void {
  if (agent.fault === null) return;
  const kind = agent.fault;
  agent.fault = null;
  agent.faultGen += 1;
  ctx.emit({ type: 'recovered', agent: agent.spec.id, kind, by });
}

export function recoveryTimerId(agent: AgentState): string {
  return `recover:${agent.spec.id}:${agent.faultGen}`;
}

/** The agent a recovery timer belongs to, if the timer is still current. */
export function recoveryTarget(ctx: Ctx, timerId: string): AgentState | null {
  if (!timerId.startsWith('recover:')) return null;
  return ctx.s.agents.find((a) => a.fault !== null && recoveryTimerId(a) === timerId) ?? null;
}
