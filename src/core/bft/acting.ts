// Which adversary a byzantine agent plays this height. `original` draws per answer, as the
// original demo did (byzantine.ts); the others decide once per height with probability
// byzantineRate, or always when a scenario scripted the fault.
import type { Ctx } from '../context.js';
import { nextFloat } from '../prng.js';
import { effectiveAdversary, type AgentState, type RoundState } from '../state.js';
import type { Adversary } from '../types.js';

export function adversaryOf(ctx: Ctx, round: RoundState, agent: AgentState): Adversary | null {
  if (agent.fault !== 'byzantine') return null;
  const adversary =
    agent.adversary ?? effectiveAdversary({ adversary: ctx.s.adversary }, round.protocol);
  if (adversary === 'original') return adversary;
  const id = agent.spec.id;
  let acting = round.acting.get(id);
  if (acting === undefined) {
    acting = agent.scripted || nextFloat(ctx.s.rng) < ctx.cfg.byzantineRate;
    round.acting.set(id, acting);
    if (acting) round.corrupted.add(id);
  }
  return acting ? adversary : null;
}
