// The two decision rules. Both count weight against the TOTAL weight of all agents, crashed ones
// included, as the original does.
import type { ProposalRecord, VoteRecord } from './state.js';
import { meetsQuorum, quorumRule, type QuorumRule } from './quorum.js';
import type { AgentSpec, CandidateView, Protocol } from './types.js';

export const round2 = (x: number): number => Math.round(x * 100) / 100;
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * classic: the single highest-score proposal wins the agenda, whatever it names; ties go to the
 * agent listed first (the original's list order). bft: only valid, unquarantined proposals count;
 * candidates are ranked by weighted support so one inflated score cannot hijack the agenda.
 */
export function selectCandidates(
  protocol: Protocol,
  proposals: readonly ProposalRecord[],
  agents: readonly AgentSpec[],
): CandidateView[] {
  const order = new Map(agents.map((a, i) => [a.id, i]));
  const byAgentOrder = [...proposals].sort(
    (a, b) => (order.get(a.agent) ?? 0) - (order.get(b.agent) ?? 0),
  );
  if (protocol === 'classic') {
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
  const weight = new Map(agents.map((a) => [a.id, a.weight]));
  const byNode = new Map<string, CandidateView>();
  for (const p of byAgentOrder) {
    if (!p.counted || !p.valid || !p.answer) continue;
    const a = p.answer;
    const c = byNode.get(a.nodeId) ?? {
      nodeId: a.nodeId,
      score: 0,
      proposer: p.agent,
      supporters: [],
    };
    c.score += (weight.get(p.agent) ?? 0) * clamp01(a.score);
    c.supporters.push({ agent: p.agent, score: a.score, reasoning: a.reasoning });
    byNode.set(a.nodeId, c);
  }
  return [...byNode.values()]
    .map((c) => ({ ...c, score: round2(c.score) }))
    .sort((a, b) => b.score - a.score || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
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
export function tally(
  ruleOrProtocol: QuorumRule | Protocol,
  votes: readonly VoteRecord[],
  totalWeight: number,
): Tally {
  const rule =
    typeof ruleOrProtocol === 'string' ? quorumRule(ruleOrProtocol, null) : ruleOrProtocol;
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
