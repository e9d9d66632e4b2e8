// Reputation under bft: evidence costs an agent, clean rounds restore it, and below a threshold
// it is quarantined (proposals ignored, vote absent).
import type { Ctx } from './context.js';
import { round2 } from './protocols.js';
import type { RoundState } from './state.js';

export function updateReputation(ctx: Ctx, round: RoundState): void {
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
