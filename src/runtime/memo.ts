// A bounded memo for what an offline run computes over and over (the same prompt for the same
// agent and job, the same heuristic answer): at --speed max it is most of the work otherwise.
import type { AgentRequest } from '../core/types.js';

const MAX_ENTRIES = 4096;

export class Memo<V> {
  private readonly map = new Map<string, V>();

  get(key: string, make: () => V): V {
    let value = this.map.get(key);
    if (value === undefined) {
      // Bounded: a long run with ever-new keys starts over rather than growing without end.
      if (this.map.size >= MAX_ENTRIES) this.map.clear();
      value = make();
      this.map.set(key, value);
    }
    return value;
  }
}

/** Everything a prompt or an offline answer depends on, as a string (nodes are fixed per run). */
export function requestKey(req: AgentRequest): string {
  const head = `${req.kind}|${req.agent.id}|${req.agent.specialty}|${req.job.id}|${req.protocol}`;
  if (req.kind === 'propose') return head;
  const c = req.candidate;
  const supporters = c.supporters.map((s) => `${s.agent}:${s.score}:${s.reasoning}`).join('\u0001');
  return `${head}|${req.summaryOnly ? 1 : 0}|${c.nodeId}|${c.score}|${c.proposer}|${supporters}`;
}
