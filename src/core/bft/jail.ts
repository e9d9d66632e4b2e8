// Jailing (CometBFT's): evidence against an agent removes its weight from the validator set from
// the next height on, until released by command or after cfg.jailHeights heights. A cap keeps
// the jailed weight under 1/3 of the whole, so jailing alone can never stall the cluster.
import type { Ctx } from '../context.js';
import type { AgentState } from '../state.js';
import type { EvidenceKind } from './evidence.js';

const EPS = 1e-9;

export function jailedWeight(ctx: Ctx): number {
  let w = 0;
  for (const a of ctx.s.agents) if (a.jailedUntil !== null) w += a.spec.weight;
  return w;
}

/** Jails `agent` for the heights after `height`; false when the cap or a jail already holds it. */
export function jail(ctx: Ctx, agent: AgentState, height: number, evidence: EvidenceKind): boolean {
  if (agent.jailedUntil !== null) return false;
  if ((jailedWeight(ctx) + agent.spec.weight) * 3 >= ctx.totalWeight - EPS) return false;
  agent.jailedUntil = height + ctx.cfg.jailHeights;
  ctx.s.stats.jailed += 1;
  ctx.s.proposerPriority.forget(agent.spec.id);
  ctx.emit({
    type: 'jail',
    round: height,
    agent: agent.spec.id,
    evidence,
    until_height: agent.jailedUntil,
  });
  return true;
}

export function release(ctx: Ctx, agent: AgentState, by: 'timer' | 'user' | 'scenario'): void {
  if (agent.jailedUntil === null) return;
  agent.jailedUntil = null;
  ctx.emit({ type: 'release', agent: agent.spec.id, by });
}

/** At the start of a height: the jail terms that have run out. */
export function releaseDue(ctx: Ctx, height: number): void {
  for (const a of ctx.s.agents)
    if (a.jailedUntil !== null && a.jailedUntil < height) release(ctx, a, 'timer');
}
