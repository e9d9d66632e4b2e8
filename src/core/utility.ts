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

// Jobs and inventories are fixed for a run, and every height asks again: ranked once per pair.
const ranked = new WeakMap<JobSpec, WeakMap<readonly NodeSpec[], readonly NodeUtility[]>>();

/** Valid nodes by utility, best first (ties keep the inventory's order). Do not mutate. */
export function rankValid(job: JobSpec, nodes: readonly NodeSpec[]): readonly NodeUtility[] {
  let byNodes = ranked.get(job);
  if (!byNodes) ranked.set(job, (byNodes = new WeakMap()));
  let r = byNodes.get(nodes);
  if (!r) {
    r = nodes
      .filter((n) => checkValidity(job, n.id, nodes).valid)
      .map((n) => ({ nodeId: n.id, utility: utility(job, n, nodes) }))
      .sort((a, b) => b.utility - a.utility);
    byNodes.set(nodes, r);
  }
  return r;
}

const validSets = new WeakMap<readonly NodeUtility[], ReadonlySet<string>>();

/** The ids of the nodes that can run the job (cached with the ranking). */
export function validIds(job: JobSpec, nodes: readonly NodeSpec[]): ReadonlySet<string> {
  const ranking = rankValid(job, nodes);
  let set = validSets.get(ranking);
  if (!set) validSets.set(ranking, (set = new Set(ranking.map((r) => r.nodeId))));
  return set;
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
  const ranking = rankValid(job, nodes);
  const best = ranking[0];
  const chosen = committed === null ? undefined : ranking.find((r) => r.nodeId === committed);
  return {
    bestNodeId: best?.nodeId ?? null,
    regret: best && chosen ? round3(best.utility - chosen.utility) : null,
  };
}
