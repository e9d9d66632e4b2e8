// classic's decision rule: its agenda and its trusted tally, which counts weight against the TOTAL
// weight of all agents, crashed ones included, as the original does. (bft decides in bft/.)
import type { ProposalRecord, VoteRecord } from './state.js';
import { meetsQuorum, type QuorumRule } from './quorum.js';
import type { AgentSpec, CandidateView } from './types.js';

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * classic's agenda: the single highest-score proposal wins, whatever it names; ties go to the
 * agent listed first (the original's list order). (bft has no agenda: each round's proposer
 * proposes its own model's node, bft/replica.ts.)
 */
export function selectCandidates(
  proposals: readonly ProposalRecord[],
  agents: readonly AgentSpec[],
): CandidateView[] {
  const order = new Map(agents.map((a, i) => [a.id, i]));
  const byAgentOrder = [...proposals].sort(
    (a, b) => (order.get(a.agent) ?? 0) - (order.get(b.agent) ?? 0),
  );
  let best: ProposalRecord | null = null;
  for (const p of byAgentOrder) {
    if (!p.counted || !p.answer) continue;
    if (!best?.answer || p.answer.score > best.answer.score) best = p;
  }
  if (!best?.answer) return [];
  const a = best.answer;
  return [
    {
      nodeId: a.nodeId,
      score: a.score,
      proposer: best.agent,
      supporters: [{ agent: best.agent, score: a.score, reasoning: a.reasoning }],
    },
  ];
}

export interface Tally {
  accept: number;
  reject: number;
  absent: number;
  total: number;
  quorum: number;
  committed: boolean;
}

/** Counts accept weight against the quorum rule (classic: >= 2/3 of the total, as the original). */
export function tally(rule: QuorumRule, votes: readonly VoteRecord[], totalWeight: number): Tally {
  let accept = 0;
  let reject = 0;
  for (const v of votes) {
    if (v.vote === 'accept') accept += v.weight;
    else reject += v.weight;
  }
  return {
    accept: round2(accept),
    reject: round2(reject),
    absent: round2(totalWeight - accept - reject),
    total: round2(totalWeight),
    quorum: round2(totalWeight * rule.fraction),
    committed: meetsQuorum(rule, accept, totalWeight),
  };
}
