// The validity predicate V(job, node) every honest agent applies under `bft`: deterministic,
// from the inventory alone, so all honest agents reach the same verdict.
import type { JobSpec, NodeSpec } from './types.js';

export type Validity = { valid: true } | { valid: false; reason: string };

export function checkValidity(
  job: JobSpec,
  nodeId: string | null,
  nodes: readonly NodeSpec[],
): Validity {
  if (nodeId === null) return { valid: false, reason: 'no node named' };
  const node = nodes.find((n) => n.id === nodeId);
  if (!node) return { valid: false, reason: `${nodeId} is not in the cluster` };
  const r = job.requirements;
  if (node.gpus < r.minGpus)
    return { valid: false, reason: `${nodeId}: ${node.gpus} GPUs < ${r.minGpus} required` };
  if (node.ramGb < r.minRamGb)
    return { valid: false, reason: `${nodeId}: ${node.ramGb} GB RAM < ${r.minRamGb} GB required` };
  if (node.cpus < r.minCpus)
    return { valid: false, reason: `${nodeId}: ${node.cpus} CPUs < ${r.minCpus} required` };
  return { valid: true };
}
