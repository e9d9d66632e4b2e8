// The vote tally as rows of segments: candidate, proposals, weight bar with the quorum mark,
// decision. Pure, so the bar arithmetic is testable without rendering.
import { fmtScore, fmtWeight } from '../src/store/format.js';
import type { CandidateView, DecisionView, ProposalView, TallyView } from '../src/store/state.js';
import { padEnd, type Segment } from './segments.js';
import type { Tone } from './theme.js';

export function candidateRow(
  candidate: CandidateView | null,
  decision: DecisionView | null,
  nameOf: (id: string) => string,
): Segment[] {
  const head: Segment = { text: 'Vote tally  ', bold: true };
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
    text: `  ${fmtScore(candidate.score)} from ${nameOf(candidate.proposer)}`,
    tone: 'muted',
  });
  return segments;
}

const PROPOSAL_MARK: Record<ProposalView['status'], { mark: string; tone: Tone | undefined }> = {
  valid: { mark: '✓', tone: 'ok' },
  invalid: { mark: '✗', tone: 'bad' },
  malformed: { mark: '✗', tone: 'bad' },
  ignored: { mark: '-', tone: 'muted' },
  late: { mark: '…', tone: 'warn' },
  absent: { mark: '✖', tone: 'muted' },
};

export function proposalRow(
  proposal: ProposalView,
  nameOf: (id: string) => string,
  nameWidth: number,
): Segment[] {
  const { mark, tone } = PROPOSAL_MARK[proposal.status];
  const segments: Segment[] = [
    { text: `  ${mark} `, tone, bold: true },
    { text: padEnd(nameOf(proposal.agent), nameWidth) },
    { text: `  ${padEnd(proposal.nodeId ?? '-', 5)} ${fmtScore(proposal.score)}` },
  ];
  if (proposal.status !== 'valid') {
    const why = proposal.reason ?? proposal.status;
    segments.push({ text: `  ${why}`, tone });
  }
  if (proposal.corrupted) segments.push({ text: ' (corrupted)', tone: 'bad' });
  return segments;
}

/**
 * `accept [#####|##..  ] 4.5 / 5.5  quorum 3.67  reject 0  absent 1`: accept `#`, reject `x`,
 * absent `.`, still to vote blank; `|` marks the quorum.
 */
export function tallyBarRow(tally: TallyView, width: number): Segment[] {
  const cells = Math.max(8, Math.min(30, width - 46));
  const total = tally.total > 0 ? tally.total : 1;
  const count = (weight: number) => Math.round((Math.max(0, weight) / total) * cells);
  const accept = Math.min(cells, count(tally.accept));
  const reject = Math.min(cells - accept, count(tally.reject));
  const absent = Math.min(cells - accept - reject, count(tally.absent));
  const chars = [
    ...'#'.repeat(accept),
    ...'x'.repeat(reject),
    ...'.'.repeat(absent),
    ...' '.repeat(cells - accept - reject - absent),
  ];
  const mark = Math.max(0, Math.min(cells, Math.round((tally.quorum / total) * cells)));
  const before = chars.slice(0, mark).join('');
  const after = chars.slice(mark).join('');
  const reached = tally.accept > 0 && tally.accept >= tally.quorum;
  return [
    { text: 'accept [' },
    ...splitRuns(before).map((text) => ({ text, tone: runTone(text) })),
    { text: '|', bold: true, tone: 'accent' },
    ...splitRuns(after).map((text) => ({ text, tone: runTone(text) })),
    { text: '] ' },
    {
      text: `${fmtWeight(tally.accept)} / ${fmtWeight(tally.total)}`,
      bold: true,
      tone: reached ? 'ok' : undefined,
    },
    { text: `  quorum ${fmtWeight(tally.quorum)}` },
    { text: `  reject ${fmtWeight(tally.reject)}`, tone: tally.reject > 0 ? 'bad' : undefined },
    { text: `  absent ${fmtWeight(tally.absent)}`, tone: tally.absent > 0 ? 'warn' : undefined },
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
  switch (decision.outcome) {
    case 'committed':
      return decision.unsafe
        ? [
            { text: `✗ UNSAFE commit ${decision.nodeId ?? '?'}`, tone: 'bad', bold: true },
            { text: ` (${decision.unsafeReason ?? 'fails validity'})`, tone: 'bad' },
          ]
        : [{ text: `✓ committed ${decision.nodeId ?? '?'}`, tone: 'ok', bold: true }];
    case 'no_decision':
      return [{ text: `· no decision${why}`, tone: 'warn', bold: true }];
    case 'retry':
      return [{ text: `↻ not accepted, next candidate${why}`, tone: 'warn' }];
    default: {
      const unhandled: never = decision.outcome;
      return [{ text: String(unhandled) }];
    }
  }
}
