// The original demo's byzantine payloads: the honest answer is thrown away with probability
// `rate` and replaced by one of three proposals or three votes.
import { FAKE_NODE_ID } from './catalogue.js';
import { nextFloat, pick, type PrngState } from './prng.js';
import { checkValidity } from './validity.js';
import type { JobSpec, MalformedAnswer, NodeSpec, ProposalAnswer, VoteAnswer } from './types.js';

export function corruptProposal(
  rng: PrngState,
  rate: number,
  job: JobSpec,
  nodes: readonly NodeSpec[],
  scripted = false,
): ProposalAnswer | MalformedAnswer | null {
  // Scripted (a lesson that must show in every seed): always the fake node, nothing drawn.
  if (!scripted && nextFloat(rng) >= rate) return null;
  const payload = scripted ? 'fake' : pick(rng, ['fake', 'wrong', 'malformed'] as const);
  switch (payload) {
    case 'fake':
      return {
        kind: 'proposal',
        nodeId: FAKE_NODE_ID,
        score: 1.0,
        reasoning: 'Byzantine attack - directing to fake node',
      };
    case 'wrong':
      return {
        kind: 'proposal',
        nodeId: wrongNode(job, nodes),
        score: 0.95,
        reasoning: 'Byzantine attack - suboptimal node',
      };
    case 'malformed':
      return { kind: 'malformed', raw: '{"corrupted": true}' };
    default: {
      const never: never = payload;
      return never;
    }
  }
}

/**
 * The original sent a GPU job to the storage node n6: the last node that cannot run the job
 * (n6 for every default job that excludes it), else the last node.
 */
function wrongNode(job: JobSpec, nodes: readonly NodeSpec[]): string {
  const failing = nodes.filter((n) => !checkValidity(job, n.id, nodes).valid);
  return (failing.at(-1) ?? nodes.at(-1))?.id ?? FAKE_NODE_ID;
}

const VOTE_PAYLOADS: readonly VoteAnswer[] = [
  {
    kind: 'vote',
    vote: 'reject',
    confidence: 0.05,
    reasoning: 'Byzantine attack - random rejection',
  },
  {
    kind: 'vote',
    vote: 'accept',
    confidence: 0.99,
    reasoning: 'Byzantine attack - blind acceptance',
  },
  {
    kind: 'vote',
    vote: 'reject',
    confidence: 0.95,
    reasoning: 'Byzantine attack - confident rejection',
  },
];

export function corruptVote(rng: PrngState, rate: number, scripted = false): VoteAnswer | null {
  // Scripted: blind acceptance, the vote that lets a fake node through a trusted tally.
  if (scripted) return VOTE_PAYLOADS[1] ?? null;
  if (nextFloat(rng) >= rate) return null;
  return pick(rng, VOTE_PAYLOADS);
}
