// Decision quality: a job's utility over nodes, the best node and the regret of a choice. The
// formula is in README "Protocols": a node that fits the job's preferred type scores higher, and
// capacity the job does not need (GPUs most of all) is waste.
import type { JobSpec, NodeSpec } from './types.js';
import { checkValidity } from './validity.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export interface NodeUtility {
  nodeId: string;
  utility: number;
}

/** u = 1 + 0.5 [type = preferred] - 0.25 spareGpus/maxGpus - 0.15 spareRam/maxRam - 0.1 spareCpus/maxCpus. */
export function utility(job: JobSpec, node: NodeSpec, nodes: readonly NodeSpec[]): number {
  const r = job.requirements;
  let maxGpus = 1;
  let maxRam = 1;
  let maxCpus = 1;
  for (const n of nodes) {
    if (n.gpus > maxGpus) maxGpus = n.gpus;
    if (n.ramGb > maxRam) maxRam = n.ramGb;
    if (n.cpus > maxCpus) maxCpus = n.cpus;
  }
  const typeFit = job.preferredType !== undefined && node.type === job.preferredType ? 0.5 : 0;
  const waste =
    (0.25 * Math.max(0, node.gpus - r.minGpus)) / maxGpus +
    (0.15 * Math.max(0, node.ramGb - r.minRamGb)) / maxRam +
    (0.1 * Math.max(0, node.cpus - r.minCpus)) / maxCpus;
  return round3(1 + typeFit - waste);
}

/** Valid nodes by utility, best first (ties keep the inventory's order). */
export function rankValid(job: JobSpec, nodes: readonly NodeSpec[]): NodeUtility[] {
  return nodes
    .filter((n) => checkValidity(job, n.id, nodes).valid)
    .map((n) => ({ nodeId: n.id, utility: utility(job, n, nodes) }))
    .sort((a, b) => b.utility - a.utility);
}

export interface Quality {
  bestNodeId: string | null;
  /** null when nothing valid was committed (an invalid node has no utility to compare). */
  regret: number | null;
}

export function quality(
  job: JobSpec,
  nodes: readonly NodeSpec[],
  committed: string | null,
): Quality {
  const ranked = rankValid(job, nodes);
  const best = ranked[0];
  const chosen = committed === null ? undefined : ranked.find((r) => r.nodeId === committed);
  return {
    bestNodeId: best?.nodeId ?? null,
    regret: best && chosen ? round3(best.utility - chosen.utility) : null,
  };
}
