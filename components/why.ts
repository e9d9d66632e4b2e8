// Why the shown round ended as it did, in full sentences: the arithmetic against the quorum,
// the faulty and jailed weight against the 1/3 bound, the candidate's validity, the regret, and
// what the protocol did. Pure, so every sentence is testable without rendering.
import { fmtAgentWeight, fmtWeight } from '../src/store/format.js';
import type { AgentView, RoundSnapshot, TallyView, VoteView } from '../src/store/state.js';
import { corruptionText, voteWord } from './tallyRows.js';
import { bftVoteLines } from './why-bft.js';

const RULE_WORDS = {
  at_least: { words: 'at least', cmp: '>=' },
  more_than: { words: 'strictly more than', cmp: '>' },
} as const;

function fraction(value: number): string {
  if (Math.abs(value - 2 / 3) < 0.005) return '2/3';
  if (Math.abs(value - 1 / 2) < 0.005) return '1/2';
  return fmtWeight(value);
}

function votesBy(votes: readonly VoteView[], word: string, nameOf: (id: string) => string) {
  const named = votes
    .filter((vote) => voteWord(vote).word === word)
    .map((vote) => `${nameOf(vote.agent)} ${fmtAgentWeight(vote.weight)}`);
  return named.length > 0 ? ` (${named.join(', ')})` : '';
}

/** classic counts the models' votes themselves: the tally's weights, named by voter. */
function classicVoteLine(
  votes: readonly VoteView[],
  tally: Pick<TallyView, 'accept' | 'reject' | 'absent'>,
  nameOf: (id: string) => string,
): string {
  const away = votes
    .filter((vote) => !['accept', 'reject'].includes(voteWord(vote).word))
    .map((vote) => `${nameOf(vote.agent)} ${voteWord(vote).word}`);
  return `Votes: accept ${fmtWeight(tally.accept)}${votesBy(votes, 'accept', nameOf)}; reject ${fmtWeight(tally.reject)}${votesBy(votes, 'reject', nameOf)}; absent ${fmtWeight(tally.absent)}${away.length > 0 ? ` (${away.join(', ')})` : ''}.`;
}

export function whyParagraphs(view: RoundSnapshot, agents: readonly AgentView[]): string[] {
  const nameOf = (id: string) => agents.find((agent) => agent.id === id)?.name ?? id;
  const { decision, candidate, votes } = view;
  const lines: string[] = [];
  const job = view.job ? ` · ${view.job.title}` : '';
  lines.push(
    decision === null
      ? `Round ${view.round}${job} (${view.protocol}): not decided yet`
      : `Why round ${view.round}${job} (${view.protocol}) ended as it did`,
  );
  if (candidate === null) {
    lines.push(
      decision === null
        ? 'No candidate yet: the agents are proposing.'
        : noCandidateLine(view, nameOf),
    );
  } else {
    lines.push(
      `Candidate: ${candidate.nodeId}${candidate.score >= 0 ? ` (score ${candidate.score.toFixed(2)})` : ''} proposed by ${nameOf(candidate.proposer)}.`,
    );
    lines.push(
      candidate.valid
        ? `Validity: ${candidate.nodeId} exists and meets the job's hard requirements.`
        : `Validity: ${candidate.nodeId} is invalid: ${candidate.reason ?? 'it fails the validity predicate'}.`,
    );
  }
  const tally = decision
    ? {
        accept: decision.acceptWeight,
        reject: decision.rejectWeight,
        absent: decision.absentWeight,
        total: decision.totalWeight,
        quorum: decision.quorum,
      }
    : view.tally;
  if (candidate !== null) {
    lines.push(
      ...(view.protocol === 'bft'
        ? bftVoteLines(view, agents, nameOf)
        : [classicVoteLine(votes, tally, nameOf)]),
    );
    const corrupted = votes.filter((vote) => vote.corrupted);
    if (corrupted.length > 0)
      lines.push(
        `Faults rewrote votes: ${corrupted.map((vote) => `${nameOf(vote.agent)} ${corruptionText(vote)}`).join('; ')}.`,
      );
  }
  if (decision !== null) {
    const rule = RULE_WORDS[decision.quorumRule];
    const reached =
      decision.quorumRule === 'at_least'
        ? tally.accept >= decision.quorum - 1e-9
        : tally.accept > decision.quorum + 1e-9;
    // bft's figures are the precommits sent: under a partition or a crash enough can be sent for
    // a quorum that no replica receives, and the height ends without a decision.
    const verdict = !reached
      ? 'false: quorum not reached'
      : decision.protocol === 'bft' && decision.outcome === 'no_decision'
        ? 'true of the precommits sent, but no honest replica received enough of them to commit (lost on the way, cut off, or too late)'
        : 'true: quorum reached';
    // bft's accept weight is the precommits' for one node (the committed or the most-backed one).
    const [what, figure] =
      decision.protocol === 'bft'
        ? [
            "a node's precommits are",
            decision.outcome === 'committed' && decision.nodeId !== null
              ? `precommits for ${decision.nodeId}`
              : 'precommits for the most-backed node',
          ]
        : ['accept is', 'accept'];
    lines.push(
      `Quorum: ${decision.protocol} commits when ${what} ${rule.words} ${fraction(decision.quorumFraction)} x ${fmtWeight(tally.total)} = ${fmtWeight(decision.quorum)}. ${figure} ${fmtWeight(tally.accept)} of ${fmtWeight(tally.total)}: ${fmtWeight(tally.accept)} ${rule.cmp} ${fmtWeight(decision.quorum)} is ${verdict}.`,
    );
    lines.push(...boundLines(decision, tally.total));
    if (decision.regret !== null)
      lines.push(
        `Regret: ${fmtWeight(decision.regret)}${decision.bestNodeId ? ` (best node ${decision.bestNodeId})` : ''}${decision.regret === 0 ? ': the best node was chosen' : ''}.`,
      );
    lines.push(`What the protocol did: ${didWhat(view)}`);
    if (decision.reason) lines.push(`Reason given: ${decision.reason}.`);
  }
  return lines;
}

const FAULT_WORDS = {
  byzantine: 'byzantine',
  crash: 'crashed',
  slow: 'slowed down',
  partition: 'cut off from the network',
} as const;

/**
 * A height that ended without a candidate. Under bft the proposer of its last round sent none
 * (its own model gave it nothing to propose, or it stayed silent), so the honest replicas
 * prevoted nil.
 */
function noCandidateLine(view: RoundSnapshot, nameOf: (id: string) => string): string {
  const decision = view.decision!;
  const proposer = decision.proposer;
  if (decision.protocol !== 'bft' || proposer === null)
    return 'No valid proposal reached the vote, so there was nothing to commit.';
  const own = view.proposals.find((p) => p.agent === proposer);
  const status = view.health?.[proposer]?.status ?? 'healthy';
  const why =
    own?.status === 'absent'
      ? ` (its own proposal was absent${status === 'healthy' ? '' : `: it was ${FAULT_WORDS[status]}`})`
      : '';
  return `No proposal reached the vote: the proposer of bft round ${decision.attempt + 1}, ${nameOf(proposer)}, had none to send${why}, so the honest replicas prevoted nil and there was nothing to commit.`;
}

function didWhat(view: RoundSnapshot): string {
  const decision = view.decision!;
  if (decision.fork)
    return 'FORK: honest replicas committed different nodes; the quorum was too low to stop an equivocator.';
  switch (decision.outcome) {
    case 'committed':
      return decision.unsafe
        ? `committed ${decision.nodeId ?? '?'}: UNSAFE (${decision.unsafeReason ?? 'fails validity'}). ${decision.protocol === 'classic' ? 'Classic trusts the tally and never checks validity.' : ''}`.trim()
        : `committed ${decision.nodeId ?? '?'}.`;
    case 'retry':
      return "the candidate was not accepted; it tried the next proposer's candidate.";
    case 'no_decision':
      return decision.protocol === 'bft'
        ? `no decision after ${decision.attempt + 1} bft round${decision.attempt === 0 ? '' : 's'}, rather than risk an invalid or contested node.`
        : 'no decision: the accept weight did not reach the quorum.';
    default: {
      const never: never = decision.outcome;
      return String(never);
    }
  }
}

/**
 * The 1/3 bounds. Safety (agreement, validity) is about byzantine weight alone and needs a quorum
 * of more than 2/3; liveness is about every fault (a partition or a crash stalls, never forks).
 */
function boundLines(decision: NonNullable<RoundSnapshot['decision']>, total: number): string[] {
  const bound = total / 3;
  const side = (w: number) => (w < bound - 1e-9 ? 'under' : 'at or over');
  const faulty = decision.faultyWeight;
  if (decision.protocol === 'classic')
    return [
      `Fault bound: none. classic trusts its tally whatever the faulty weight (${fmtWeight(faulty)} of ${fmtWeight(total)} here).`,
    ];
  const lines: string[] = [];
  const byz = decision.byzantineWeight;
  if (byz !== null) {
    const strongQuorum =
      decision.quorumRule === 'more_than' && decision.quorumFraction >= 2 / 3 - 0.005;
    const verdict =
      side(byz) === 'at or over'
        ? 'agreement and validity are not guaranteed'
        : strongQuorum
          ? 'agreement and validity are guaranteed'
          : `but the quorum ${fraction(decision.quorumFraction)} is not over 2/3, so agreement is not guaranteed`;
    lines.push(
      `Safety bound: byzantine weight ${fmtWeight(byz)} of ${fmtWeight(total)} is ${side(byz)} 1/3 (${fmtWeight(bound)}): ${verdict}.`,
    );
  }
  // Jailed agents are outside the height's set (the total excludes them), and one jailed during
  // this height is already counted as faulty: adding both would count it twice.
  const jailed =
    decision.jailedWeight > 0
      ? ` Jailed weight ${fmtWeight(decision.jailedWeight)} is outside the set from the height after its evidence.`
      : '';
  lines.push(
    `Liveness bound: faulty weight ${fmtWeight(faulty)} of ${fmtWeight(total)} (any fault) is ${side(faulty)} 1/3: ${side(faulty) === 'under' ? 'commits go on once messages arrive in time' : 'the protocol may be unable to commit'}.${jailed}`,
  );
  return lines;
}
