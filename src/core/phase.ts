import type { Ctx } from './context.js';
import type { RoundState } from './state.js';

export function enterPhase(ctx: Ctx, round: RoundState, phase: RoundState['phase']): void {
  round.phase = phase;
  ctx.emit({ type: 'phase', round: round.round, phase, attempt: round.attempt });
}
