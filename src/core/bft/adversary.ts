// What a byzantine replica does with its messages, per adversary (README "Protocols"):
// original   the original demo's payloads (drawn per answer, byzantine.ts);
// strategic  colluders push the most wasteful VALID node and accept only it;
// equivocate conflicting messages: one value to one half of the replicas, another to the other;
// silent     nil and reject only, never a proposal.
import { rankValid } from '../utility.js';
import type { JobSpec, NodeSpec } from '../types.js';

/** The valid node of lowest utility: what strategic colluders steer the cluster to. */
export function wastefulNode(job: JobSpec, nodes: readonly NodeSpec[]): string | null {
  return rankValid(job, nodes).at(-1)?.nodeId ?? null;
}

/**
 * An equivocator splits the other replicas into two halves (by index, itself excluded) and sends
 * the first half one value, the second another.
 */
export function inSecondHalf(sender: number, to: number, n: number): boolean {
  const pos = to < sender ? to : to - 1;
  return pos >= Math.ceil((n - 1) / 2);
}
