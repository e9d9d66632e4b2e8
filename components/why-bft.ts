// The why pane's vote lines under bft, where two different things are called votes: each agent's
// model judges the candidate (its replica prevotes it only if it is valid and the model accepts),
// and the replicas precommit, whose weight is what the quorum is about. The decision's accept
// weight is the precommits', so it is named by the precommits' senders, never by the judgements.
import { fmtAgentWeight, fmtWeight } from '../src/store/format.js';
import type { AgentView, RoundSnapshot } from '../src/store/state.js';
import { voteWord } from './tallyRows.js';

type Decision = NonNullable<RoundSnapshot['decision']>;

function judgementLine(view: RoundSnapshot, nameOf: (id: string) => string): string {
  const votes = view.votes;
  const groups = new Map<string, string[]>();
  for (const vote of votes) {
    const word = voteWord(vote).word;
    groups.set(word, [...(groups.get(word) ?? []), nameOf(vote.agent)]);
  }
  const parts = [...groups].map(([word, names]) => `${word} (${names.join(', ')})`);
  return `Model judgements (each replica prevotes a valid candidate its model accepts): ${parts.length > 0 ? parts.join('; ') : noJudgement(view)}.`;
}

/** Why no model judged the candidate: an invalid one is refused before any model is asked. */
function noJudgement(view: RoundSnapshot): string {
  if (view.candidate?.valid === false) return 'none asked, since the candidate fails V';
  return view.decision === null ? 'none yet' : 'none';
}

/**
 * Who precommitted what in the decided bft round, grouped by value (a node or nil), then the
 * weight that sent nothing (crashed, cut off, silent or too late): the decision's figure, since
 * an agent jailed by this height's evidence is still in its set. Null when the snapshot holds
 * another round's messages.
 */
function precommitLine(
  view: RoundSnapshot,
  decision: Decision,
  agents: readonly AgentView[],
  nameOf: (id: string) => string,
): string | null {
  const bft = view.bft;
  if (bft === null || bft.attempt !== decision.attempt) return null;
  const groups = new Map<string, { weight: number; names: string[] }>();
  for (const agent of agents) {
    const sent = bft.precommits[agent.id];
    if (sent === undefined) continue;
    const key = sent.value ?? 'nil';
    const group = groups.get(key) ?? { weight: 0, names: [] };
    group.weight += agent.weight;
    // An equivocator is counted under its own value, as the core counts it; what the others were
    // told is said beside it, since that is how the other side reached its quorum.
    const told = new Set(
      Object.values(sent.received).filter((v) => v !== 'lost' && v !== null && v !== sent.value),
    );
    const also = sent.equivocated && told.size > 0 ? ` (${[...told].join(', ')} to others)` : '';
    group.names.push(`${nameOf(agent.id)} ${fmtAgentWeight(agent.weight)}${also}`);
    groups.set(key, group);
  }
  const parts = [...groups].map(
    ([key, g]) => `${key} ${fmtWeight(g.weight)} (${g.names.join(', ')})`,
  );
  parts.push(`not sent ${fmtWeight(decision.absentWeight)}`);
  return `Precommits in bft round ${decision.attempt + 1}: ${parts.join('; ')}.`;
}

export function bftVoteLines(
  view: RoundSnapshot,
  agents: readonly AgentView[],
  nameOf: (id: string) => string,
): string[] {
  const lines = [judgementLine(view, nameOf)];
  const decision = view.decision;
  if (decision === null) return lines;
  const named = precommitLine(view, decision, agents, nameOf);
  lines.push(
    named ??
      `Precommits: ${fmtWeight(decision.acceptWeight)} for the most-backed node, ${fmtWeight(decision.rejectWeight)} for others or nil, ${fmtWeight(decision.absentWeight)} not sent.`,
  );
  return lines;
}
