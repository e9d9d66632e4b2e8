// The vote matrix for more senders than the pane has columns: a row per replica still, but what
// it received counted by entry ("n1 17, lost 2, n1/lost 1") instead of a column per sender; its
// lock and commit stay where the matrix has them. Who equivocated is in the note above it.
import type { AgentView, BftView } from '../src/store/state.js';
import { agentGlyph } from './agentRow.js';
import { padEnd, type Segment } from './segments.js';
import {
  cellText,
  forked,
  LOCK_COMMIT,
  lockAndCommit,
  notValidator,
  shortName,
  validatorsOf,
} from './voteMatrix.js';

const HEADING = 'received from the senders';

/** Each entry receiver got and how many senders it came from, most first (then by entry). */
function receivedCounts(view: BftView, senders: readonly string[], receiver: string): string {
  const counts = new Map<string, number>();
  for (const sender of senders) {
    const entry = cellText(view, sender, receiver);
    if (entry !== '') counts.set(entry, (counts.get(entry) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([entry, n]) => `${entry} ${n}`)
    .join(', ');
}

export function summaryRows(
  view: BftView,
  agents: readonly AgentView[],
  width: number,
): Segment[][] {
  const ids = agents.map((agent) => agent.id);
  const nameWidth = Math.max(...agents.map((agent) => shortName(agent.name).length), 7);
  const room = Math.max(HEADING.length, width - (2 + nameWidth) - 1 - LOCK_COMMIT.length);
  const fork = forked(view);
  const validators = validatorsOf(view);
  const rows: Segment[][] = [
    [
      {
        text: ` ${padEnd('replica', nameWidth + 1)} ${padEnd(HEADING, room)}${LOCK_COMMIT}`,
        tone: 'muted',
      },
    ],
  ];
  for (const receiver of agents) {
    const name: Segment = {
      text: `${agentGlyph(receiver)} ${padEnd(shortName(receiver.name), nameWidth)}`,
    };
    if (validators.size > 0 && !validators.has(receiver.id)) {
      rows.push([name, notValidator(receiver)]);
      continue;
    }
    const counts = receivedCounts(view, ids, receiver.id);
    const text = counts.length > room ? `${counts.slice(0, room - 1)}…` : counts;
    rows.push([
      name,
      { text: ` ${padEnd(text, room)}` },
      ...lockAndCommit(view, receiver.id, fork),
    ]);
  }
  return rows;
}
