// Injecting and healing faults. Recovery is driven by timers on the simulated clock, never
// checked lazily; a generation counter makes a superseded timer harmless.
import { onFaultChange } from './bft/height.js';
import type { UserCommand } from './commands.js';
import type { Ctx } from './context.js';
import { nextInt } from './prng.js';
import { dropFromPhase } from './round.js';
import type { AgentState } from './state.js';
import type { FaultKind } from './types.js';

type InjectOptions = Pick<
  Extract<UserCommand, { type: 'inject' }>,
  'group' | 'adversary' | 'scripted'
>;

export function inject(
  ctx: Ctx,
  agent: AgentState,
  kind: FaultKind,
  durationMs: number | undefined,
  by: 'scenario' | 'user',
  opts: InjectOptions = {},
): void {
  if (kind === 'partition' && opts.group && opts.group.length > 0) {
    // One side for the whole group: its members still talk to each other.
    const side = ++ctx.s.sideSeq;
    for (const id of opts.group) {
      const member = ctx.s.agentsById.get(id);
      if (member) strike(ctx, member, kind, durationMs, by, opts, side);
    }
    return;
  }
  strike(ctx, agent, kind, durationMs, by, opts, kind === 'partition' ? ++ctx.s.sideSeq : 0);
}

function strike(
  ctx: Ctx,
  agent: AgentState,
  kind: FaultKind,
  durationMs: number | undefined,
  by: 'scenario' | 'user',
  opts: InjectOptions,
  side: number,
): void {
  const [min, max] = ctx.cfg.faultDurationMs;
  // Drawn even when the duration is given, so a replay that passes the recorded duration
  // consumes the same random numbers as the run it replays.
  const drawn = nextInt(ctx.s.rng, min, max);
  const duration = durationMs ?? drawn;
  const wasCrashed = agent.fault === 'crash';
  agent.fault = kind;
  agent.faultGen += 1;
  agent.faultUntil = ctx.s.now + duration;
  agent.side = side;
  agent.adversary = kind === 'byzantine' ? (opts.adversary ?? null) : null;
  agent.scripted = kind === 'byzantine' && opts.scripted === true;
  ctx.effect({ type: 'timer', id: recoveryTimerId(agent), at: agent.faultUntil });
  ctx.emit({
    type: 'fault',
    agent: agent.spec.id,
    kind,
    duration_ms: duration,
    recover_at: agent.faultUntil,
    by,
    ...(opts.group && kind === 'partition' ? { group: opts.group } : {}),
  });
  if (kind !== 'byzantine') dropFromPhase(ctx, agent.spec.id);
  onFaultChange(ctx, agent, wasCrashed);
}

export function recover(ctx: Ctx, agent: AgentState, by: 'timer' | 'user' | 'scenario'): void {
  if (agent.fault === null) return;
  const kind = agent.fault;
  const wasCrashed = kind === 'crash';
  agent.fault = null;
  agent.faultGen += 1;
  agent.side = 0;
  agent.scripted = false;
  ctx.emit({ type: 'recovered', agent: agent.spec.id, kind, by });
  onFaultChange(ctx, agent, wasCrashed);
}

export function recoveryTimerId(agent: AgentState): string {
  return `recover:${agent.spec.id}:${agent.faultGen}`;
}

/** The agent a recovery timer belongs to, if the timer is still current. */
export function recoveryTarget(ctx: Ctx, timerId: string): AgentState | null {
  if (!timerId.startsWith('recover:')) return null;
  return ctx.s.agents.find((a) => a.fault !== null && recoveryTimerId(a) === timerId) ?? null;
}
