// The vote tally as rows of segments: candidate, proposals, weight bar with the quorum mark,
// decision. Pure, so the bar arithmetic is testable without rendering.
import { fmtAgentWeight, fmtScore, fmtWeight } from '../src/store/format.js';
import type {
  AgentView,
  CandidateView,
  DecisionView,
  ProposalView,
  TallyView,
  VoteView,
} from '../src/store/state.js';
import { agentGlyph, thinkingGlyph } from './agentRow.js';
import { secondsLeft } from './bars.js';
import { GLYPH } from './glyphs.js';
import { padEnd, padStart, type Segment } from './segments.js';
import type { Tone } from './theme.js';

export function candidateRow(
  candidate: CandidateView | null,
  decision: DecisionView | null,
  nameOf: (id: string) => string,
  round?: number,
): Segment[] {
  const head: Segment = {
    text: round !== undefined && round > 0 ? `Vote tally r${round}  ` : 'Vote tally  ',
    bold: true,
  };
  if (candidate === null) return [head, { text: 'candidate -', tone: 'muted' }];
  const segments: Segment[] = [
    head,
    { text: 'candidate ' },
    { text: candidate.nodeId, bold: true },
  ];
  const committedHere =
    decision !== null && decision.outcome === 'committed' && decision.nodeId === candidate.nodeId;
  // The warning comes before the details so a narrow pane cuts the details, not the warning.
  if (committedHere && decision.unsafe) {
    segments.push(
      { text: '  ' },
      {
        text: `UNSAFE: ${decision.unsafeReason ?? 'fails validity'}`,
        tone: 'bad',
        bold: true,
        inverse: true,
      },
    );
  } else if (!candidate.valid) {
    segments.push({
      text: `  invalid: ${candidate.reason ?? 'fails validity'}`,
      tone: 'warn',
      bold: true,
    });
  }
  segments.push({
    text: `  ${candidate.score >= 0 ? `${fmtScore(candidate.score)} ` : ''}from ${nameOf(candidate.proposer)}`,
    tone: 'muted',
  });
  return segments;
}

/** A proposal's status in words: the glyphs ✓ and ✗ belong to decisions. */
const PROPOSAL_WORD: Record<ProposalView['status'], { word: string; tone: Tone | undefined }> = {
  valid: { word: 'valid', tone: 'ok' },
  invalid: { word: 'invalid', tone: 'bad' },
  malformed: { word: 'malformed', tone: 'bad' },
  ignored: { word: 'jailed', tone: 'bad' },
  late: { word: 'late', tone: 'warn' },
  absent: { word: 'absent', tone: 'muted' },
};

export function proposalRow(
  proposal: ProposalView,
  nameOf: (id: string) => string,
  nameWidth: number,
): Segment[] {
  const { word, tone } = PROPOSAL_WORD[proposal.status];
  const segments: Segment[] = [
    { text: `  ${padEnd(nameOf(proposal.agent), nameWidth)}` },
    { text: `  ${padEnd(proposal.nodeId ?? '-', 5)} ${fmtScore(proposal.score)}` },
    { text: `  ${word}`, tone, bold: proposal.status !== 'valid' },
  ];
  if (proposal.status !== 'valid' && proposal.reason) {
    segments.push({ text: ` (${proposal.reason})`, tone });
  }
  if (proposal.corrupted) segments.push({ text: '  corrupted', tone: 'bad', bold: true });
  return segments;
}

/** What a vote reads as in the tally: accept, reject, absent, late or jailed. */
export function voteWord(vote: VoteView | undefined): { word: string; tone: Tone | undefined } {
  if (vote === undefined) return { word: '', tone: undefined };
  if (vote.jailed) return { word: 'jailed', tone: 'bad' };
  if (vote.status === 'absent') return { word: 'absent', tone: 'warn' };
  if (vote.status === 'late') return { word: 'late', tone: 'warn' };
  if (vote.vote === 'accept') return { word: 'accept', tone: 'ok' };
  if (vote.vote === 'reject') return { word: 'reject', tone: 'bad' };
  return { word: 'absent', tone: 'warn' };
}

/** `byz 22 s`, `crash 9 s`, `jailed`, or nothing for a healthy agent. */
function faultText(agent: AgentView, now: number): string {
  if (agent.fault !== null) {
    const kind = agent.fault.kind === 'byzantine' ? 'byz' : agent.fault.kind;
    // A past round's fault has no countdown (recoverAt 0): its kind is what it was.
    if (agent.fault.recoverAt === 0) return kind;
    return `${kind} ${secondsLeft(agent.fault.recoverAt, now)} s`;
  }
  return agent.quarantined ? 'jailed' : '';
}

/** `corrupted: accept -> reject` when the honest vote is known, else `corrupted`. */
export function corruptionText(vote: VoteView): string {
  // When the run says what the model said, it is shown even if the fault left the vote as it was.
  if (vote.honestVote !== null && vote.vote !== null)
    return vote.honestVote === vote.vote
      ? `corrupted: forced ${vote.vote} (model said ${vote.honestVote} too)`
      : `corrupted: ${vote.honestVote} -> ${vote.vote}`;
  return 'corrupted';
}

/**
 * One agent's line of the tally: what it proposed and how it voted, the fault that rewrote
 * its answer marked. The corruption comes before the proposal's status, so a narrow pane cuts
 * the detail, not the fault.
 */
export function agentVoteRow(
  agent: AgentView,
  proposal: ProposalView | undefined,
  vote: VoteView | undefined,
  nameWidth: number,
  /** The agent's health in front (the compact screen has no agents pane beside the tally). */
  health?: { now: number; selected: boolean; weightWidth: number },
): Segment[] {
  const { word, tone } = voteWord(vote);
  const segments: Segment[] = health
    ? [
        { text: health.selected ? GLYPH.selected : ' ', bold: true, tone: 'accent' },
        {
          text: agentGlyph(agent),
          tone: agent.status === 'healthy' && !agent.quarantined ? 'ok' : 'bad',
        },
        { text: agent.thinkingCallId !== null ? thinkingGlyph(health.now) : ' ', tone: 'info' },
        { text: padEnd(agent.name, nameWidth), inverse: health.selected, bold: health.selected },
        { text: ` ${padStart(fmtAgentWeight(agent.weight), health.weightWidth)}` },
        {
          text: ` ${padEnd(faultText(agent, health.now), 10)}`,
          tone: agent.fault || agent.quarantined ? 'bad' : 'muted',
        },
      ]
    : [{ text: `${agentGlyph(agent)} ${padEnd(agent.name, nameWidth)}` }];
  segments.push(
    { text: `  ${padEnd(proposal?.nodeId ?? '-', 5)}`, bold: proposal?.status === 'valid' },
    { text: `  ${padEnd(word, 6)}`, tone, bold: true },
  );
  if (vote?.corrupted)
    segments.push({ text: `  ${corruptionText(vote)}`, tone: 'bad', bold: true });
  if (proposal !== undefined && (proposal.status !== 'valid' || proposal.corrupted)) {
    const { word: status, tone: statusTone } = PROPOSAL_WORD[proposal.status];
    const notes = [proposal.status !== 'valid' ? status : '', proposal.corrupted ? 'corrupted' : '']
      .filter((note) => note !== '')
      .join(', ');
    segments.push({ text: `  proposal ${notes}`, tone: proposal.corrupted ? 'bad' : statusTone });
  }
  return segments;
}

/**
 * `accept [#####|##..  ] 4.5 / 5.5  quorum 3.67  reject 0  absent 1`: accept `#`, reject `x`,
 * absent `.`, still to vote blank; `|` marks the quorum.
 */
export function tallyBarRow(tally: TallyView, width: number): Segment[] {
  const long = [
    `${fmtWeight(tally.accept)} / ${fmtWeight(tally.total)}`,
    `  quorum ${fmtWeight(tally.quorum)}`,
    `  reject ${fmtWeight(tally.reject)}`,
    `  absent ${fmtWeight(tally.absent)}`,
  ];
  const short = [
    `${fmtWeight(tally.accept)}/${fmtWeight(tally.total)}`,
    ` q ${fmtWeight(tally.quorum)}`,
    ` rej ${fmtWeight(tally.reject)}`,
    ` abs ${fmtWeight(tally.absent)}`,
  ];
  // The figures are what must survive a narrow pane; the bar takes what they leave.
  const textWidth = (labels: string[], head: string) =>
    head.length + 2 + labels.reduce((sum, label) => sum + label.length, 0);
  const fitsLong = width - textWidth(long, 'accept [') >= 6;
  const labels = fitsLong ? long : short;
  const head = fitsLong ? 'accept [' : 'acc [';
  const cells = Math.max(4, Math.min(30, width - textWidth(labels, head) - 1));
  const total = tally.total > 0 ? tally.total : 1;
  const count = (weight: number) => Math.round((Math.max(0, weight) / total) * cells);
  const accept = Math.min(cells, count(tally.accept));
  const reject = Math.min(cells - accept, count(tally.reject));
  const absent = Math.min(cells - accept - reject, count(tally.absent));
  const chars = [
    ...GLYPH.accept.repeat(accept),
    ...GLYPH.reject.repeat(reject),
    ...GLYPH.absent.repeat(absent),
    ...' '.repeat(cells - accept - reject - absent),
  ];
  const mark = Math.max(0, Math.min(cells, Math.round((tally.quorum / total) * cells)));
  const before = chars.slice(0, mark).join('');
  const after = chars.slice(mark).join('');
  const reached = tally.accept > 0 && tally.accept >= tally.quorum;
  const [weights = '', quorum = '', reject_ = '', absent_ = ''] = labels;
  return [
    { text: head },
    ...splitRuns(before).map((text) => ({ text, tone: runTone(text) })),
    { text: GLYPH.quorum, bold: true, tone: 'accent' },
    ...splitRuns(after).map((text) => ({ text, tone: runTone(text) })),
    { text: '] ' },
    { text: weights, bold: true, tone: reached ? 'ok' : undefined },
    { text: quorum },
    { text: reject_, tone: tally.reject > 0 ? 'bad' : undefined },
    { text: absent_, tone: tally.absent > 0 ? 'warn' : undefined },
  ];
}

function splitRuns(text: string): string[] {
  return text.match(/(.)\1*/gu) ?? [];
}

function runTone(run: string): Tone | undefined {
  if (run.startsWith('#')) return 'ok';
  if (run.startsWith('x')) return 'bad';
  if (run.startsWith('.')) return 'warn';
  return undefined;
}

export function decisionRow(decision: DecisionView | null, waiting: string): Segment[] {
  if (decision === null) return [{ text: waiting, tone: 'muted' }];
  const why = decision.reason ? `: ${decision.reason}` : '';
  if (decision.fork)
    return [
      { text: `${GLYPH.fork} FORK`, tone: 'bad', bold: true, inverse: true },
      { text: ' honest replicas committed different nodes', tone: 'bad', bold: true },
    ];
  switch (decision.outcome) {
    case 'committed':
      return decision.unsafe
        ? [
            {
              text: `${GLYPH.unsafe} UNSAFE commit ${decision.nodeId ?? '?'}`,
              tone: 'bad',
              bold: true,
            },
            { text: ` (${decision.unsafeReason ?? 'fails validity'})`, tone: 'bad' },
          ]
        : [
            {
              text: `${GLYPH.committed} committed ${decision.nodeId ?? '?'}`,
              tone: 'ok',
              bold: true,
            },
          ];
    case 'no_decision':
      return [{ text: `${GLYPH.noDecision} no decision${why}`, tone: 'warn', bold: true }];
    case 'retry':
      return [{ text: `${GLYPH.retry} not accepted, next candidate${why}`, tone: 'warn' }];
    default: {
      const unhandled: never = decision.outcome;
      return [{ text: String(unhandled) }];
    }
  }
}
