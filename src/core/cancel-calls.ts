// Calls the core stops waiting for: forgotten, announced (llm_cancelled, so a log does not show a
// cut-off stream as still streaming), and handed to the runtime to abort.
import type { Ctx } from './context.js';
import type { CancelReason } from './events.js';
import { dropKey } from './churn.js';

export function cancelCalls(ctx: Ctx, callIds: readonly string[], reason: CancelReason): void {
  if (callIds.length === 0) return;
  for (const id of callIds) {
    const call = ctx.s.calls.get(id);
    if (call)
      ctx.emit({
        type: 'llm_cancelled',
        round: call.round,
        call_id: id,
        agent: call.agent,
        phase: call.phase,
        reason,
      });
    ctx.s.calls = dropKey(ctx.s.calls, id);
  }
  ctx.effect({ type: 'cancel', callIds: [...callIds] });
}
