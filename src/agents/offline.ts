// The offline specialist: deterministic scoring from node facts and job requirements. It is
// what runs without credentials and what a failed LLM call falls back to, always labelled as such.
import { nextFloat, pick, type PrngState } from '../core/prng.js';
import { plural } from '../core/plural.js';
import { checkValidity } from '../core/validity.js';
import type {
  AgentRequest,
  JobSpec,
  NodeSpec,
  ParsedAnswer,
  ProposalAnswer,
  VoteAnswer,
  VoteRequest,
} from '../core/types.js';

// Honest scores stay below 1.0: the original's byzantine payload claims 1.0, and under classic
// that claim is what wins the agenda.
const MAX_SCORE = 0.95;
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** How much a node has of what this specialist cares about, from 0 to 1 relative to the cluster. */
function aspect(
  specialty: string,
  node: NodeSpec,
  nodes: readonly NodeSpec[],
  job: JobSpec,
): number {
  const max = (f: (n: NodeSpec) => number): number => Math.max(1, ...nodes.map(f));
  switch (specialty) {
    case 'gpu':
      return node.gpus / max((n) => n.gpus);
    case 'memory':
      return node.ramGb / max((n) => n.ramGb);
    case 'compute':
      return node.cpus / max((n) => n.cpus);
    case 'storage':
      return node.type === 'storage' ? 1 : 0.5 - node.ramGb / max((n) => n.ramGb) / 2;
    default: {
      // Network and any other specialty: the tightest fit, so big nodes stay free for big jobs.
      const r = job.requirements;
      const ratios = [r.minCpus / node.cpus, r.minRamGb / node.ramGb];
      if (r.minGpus > 0) ratios.push(r.minGpus / Math.max(1, node.gpus));
      return Math.min(1, ratios.reduce((a, b) => a + b, 0) / ratios.length);
    }
  }
}

function score(
  specialty: string,
  node: NodeSpec,
  nodes: readonly NodeSpec[],
  job: JobSpec,
): number {
  const typeMatch = job.preferredType !== undefined && node.type === job.preferredType ? 1 : 0;
  return round2(
    Math.min(MAX_SCORE, 0.55 + 0.25 * typeMatch + 0.15 * aspect(specialty, node, nodes, job)),
  );
}

function facts(node: NodeSpec, job: JobSpec): string {
  const r = job.requirements;
  const parts = [`${node.cpus} CPUs >= ${r.minCpus}`, `${node.ramGb} GB >= ${r.minRamGb} GB`];
  if (r.minGpus > 0) parts.unshift(`${node.gpus} GPUs >= ${r.minGpus} required`);
  if (job.preferredType !== undefined && node.type === job.preferredType)
    parts.push(`type ${node.type} matches`);
  return `${node.id}: ${parts.join(', ')}`;
}

/** Honest disagreement (--offline-noise): with probability p, a valid node other than the best. */
export interface OfflineNoise {
  p: number;
  rng: PrngState;
}

export function offlinePropose(
  specialty: string,
  job: JobSpec,
  nodes: readonly NodeSpec[],
  noise?: OfflineNoise,
): ProposalAnswer {
  const valid = nodes.filter((n) => checkValidity(job, n.id, nodes).valid);
  const pool = valid.length > 0 ? valid : nodes;
  let best: NodeSpec | undefined;
  let bestScore = -1;
  for (const node of pool) {
    const sc = score(specialty, node, nodes, job);
    if (sc > bestScore) {
      best = node;
      bestScore = sc;
    }
  }
  if (noise && noise.p > 0 && valid.length > 1 && nextFloat(noise.rng) < noise.p) {
    const others = valid.filter((n) => n !== best);
    best = pick(noise.rng, others);
    bestScore = score(specialty, best, nodes, job);
  }
  if (!best)
    return { kind: 'proposal', nodeId: 'none', score: 0, reasoning: 'the cluster has no nodes' };
  const reasoning =
    valid.length > 0
      ? facts(best, job)
      : `no node meets the requirements; ${best.id} comes closest`;
  return {
    kind: 'proposal',
    nodeId: best.id,
    score: valid.length > 0 ? bestScore : 0.1,
    reasoning,
  };
}

export function offlineVote(req: VoteRequest): VoteAnswer {
  const c = req.candidate;
  if (req.summaryOnly) {
    // Under classic the voter sees one line and no inventory, so a confident proposal is all it has.
    const accept = c.score >= 0.5;
    return {
      kind: 'vote',
      vote: accept ? 'accept' : 'reject',
      confidence: 0.6,
      reasoning: `only the summary is shown: ${c.nodeId} scored ${c.score.toFixed(2)} from ${c.proposer}; ${accept ? 'confident enough to accept' : 'too weak to accept'}`,
    };
  }
  const v = checkValidity(req.job, c.nodeId, req.nodes);
  const node = req.nodes.find((n) => n.id === c.nodeId);
  if (!v.valid || !node)
    return {
      kind: 'vote',
      vote: 'reject',
      confidence: 0.95,
      reasoning: v.valid ? `${c.nodeId} not found` : v.reason,
    };
  return {
    kind: 'vote',
    vote: 'accept',
    confidence: 0.9,
    reasoning: `${facts(node, req.job)}; backed by ${plural(c.supporters.length, 'proposal')}`,
  };
}

export function offlineAnswer(req: AgentRequest, noise?: OfflineNoise): ParsedAnswer {
  return req.kind === 'propose'
    ? offlinePropose(req.agent.specialty, req.job, req.nodes, noise)
    : offlineVote(req);
}

/** The JSON text an answer would have had as a model's reply; what the log shows and streams. */
export function renderAnswer(answer: ParsedAnswer): string {
  return answer.kind === 'proposal'
    ? JSON.stringify({ node_id: answer.nodeId, score: answer.score, reasoning: answer.reasoning })
    : JSON.stringify({
        vote: answer.vote,
        confidence: answer.confidence,
        reasoning: answer.reasoning,
      });
}
