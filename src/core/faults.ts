// Injecting and healing faults. Recovery is driven by timers on the simulated clock, never
// checked lazily; a generation counter makes a superseded timer harmless.
import { onFaultChange } from './bft/height.js';
import type { UserCommand } from './commands.js';
import type { Ctx } from './context.js';
import { nextInt } from './prng.js';
import { dropFromPhase } from './round.js';
import { MAIN_NETWORK, type AgentState } from './state.js';
import type { FaultKind } from './types.js';

type InjectOptions = Pick<
  Extract<UserCommand, { type: 'inject' }>,
  'group' | 'bridge' | 'adversary' | 'scripted'
>;

export function inject(
  ctx: Ctx,
  agent: AgentState,
  kind: FaultKind,
  durationMs: number | undefined,
  by: 'scenario' | 'user',
  opts: InjectOptions = {},
): void {
  if (kind !== 'partition') return strike(ctx, agent, kind, durationMs, by, opts, MAIN_NETWORK);
  // A network of its own for the agent, or for the whole group: its members still talk.
  const net = freeNetwork(ctx);
  for (const id of opts.bridge ?? []) {
    const bridge = ctx.s.agentsById.get(id);
    if (bridge) bridge.links |= net;
  }
  if (!opts.group || opts.group.length === 0)
    return strike(ctx, agent, kind, durationMs, by, opts, net);
  for (const id of opts.group) {
    const member = ctx.s.agentsById.get(id);
    if (member) strike(ctx, member, kind, durationMs, by, opts, net);
  }
}

/** The lowest network bit nobody is on; when all are taken, bridges give theirs up first. */
function freeNetwork(ctx: Ctx): number {
  for (let pass = 0; pass < 2; pass++) {
    let used = 0;
    for (const a of ctx.s.agents) used |= a.links;
    for (let bit = 1; bit < 31; bit++) if (!(used & (1 << bit))) return 1 << bit;
    for (const a of ctx.s.agents) if (a.fault !== 'partition') a.links = MAIN_NETWORK;
  }
  return 1 << 30;
}

function strike(
  ctx: Ctx,
  agent: AgentState,
  kind: FaultKind,
  durationMs: number | undefined,
  by: 'scenario' | 'user',
  opts: InjectOptions,
  links: number,
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
  // A partition replaces the agent's links; other faults leave them (a bridge stays a bridge).
  if (kind === 'partition') agent.links = links;
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
  if (kind === 'partition') agent.links = MAIN_NETWORK;
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
