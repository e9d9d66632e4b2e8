import { useMemo } from 'react';
import { LEGEND } from './glyphs.js';
import { selectReplay, useDashboard } from './context.js';
import { changesRun, KEYMAP } from './keymap.js';
import { Overlay } from './Overlay.js';
import { padEnd, wrapText, type Segment, type TextSegment } from './segments.js';

const PHASES =
  'A round runs PROPOSE (each agent proposes a node) -> SELECT (the candidate is chosen) -> VOTE (each agent accepts or rejects it) -> DECIDE (the weight is counted against the quorum). Between rounds the header shows IDLE (scenario steps, recovery waits); n steps from phase to phase and never stops there.';

/**
 * Every row of the help at a width: keys, the phases, and the legend of every glyph. In a replay
 * (`readOnly`) the keys that would change the run say that it refuses them.
 */
export function helpRows(width: number, readOnly = false): Segment[][] {
  const rows: Segment[][] = [];
  const label = 12;
  const wrapped = (text: string, indent: number, tone?: TextSegment['tone']) =>
    wrapText(text, Math.max(10, width - indent)).map((line): Segment[] => [
      { text: `${' '.repeat(indent)}${line}`, tone },
    ]);
  rows.push([{ text: 'Keys', bold: true }]);
  for (const binding of KEYMAP) {
    const refused = readOnly && changesRun(binding);
    const description = refused
      ? `${binding.description} (refused: a replay)`
      : binding.description;
    const lines = wrapText(description, Math.max(10, width - label - 2));
    lines.forEach((line, index) =>
      rows.push([
        {
          text: `  ${padEnd(index === 0 ? binding.label : '', label)}`,
          bold: true,
          tone: 'accent',
        },
        refused ? { text: line, tone: 'muted' } : { text: line },
      ]),
    );
  }
  rows.push([], [{ text: 'Phases', bold: true }], ...wrapped(PHASES, 2));
  rows.push([], [{ text: 'Glyphs (each has one meaning)', bold: true }]);
  for (const group of LEGEND) {
    rows.push([{ text: `  ${group.group}`, bold: true, tone: 'muted' }]);
    for (const [glyph, meaning] of group.items)
      rows.push([{ text: `    ${padEnd(glyph, 8)}`, bold: true }, { text: meaning }]);
  }
  rows.push(
    [],
    [{ text: 'Words', bold: true }],
    ...wrapped(
      'In the tally a vote reads accept, reject, absent (crashed or no answer), late (answered after the deadline: counted absent) or jailed (quarantined: counted absent); "corrupted: accept -> reject" means a byzantine fault rewrote what the model said.',
      2,
    ),
    [],
    ...wrapped(
      'Under bft the tally is a vote matrix: a row per replica, a column per sender, each entry what that replica received of the sender\'s prevote and precommit (one value when both agree, "n1/lost" when not; nil is a vote for no node, lost a message that never arrived), then the replica\'s lock and what it committed. A column that differs down the rows is an equivocator; replicas committing different nodes are a FORK. With more replicas than the pane has columns, each row counts what it received ("n1 19, lost 1").',
      2,
    ),
  );
  return rows;
}

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const replay = useDashboard(selectReplay);
  const rows = useMemo(() => helpRows(width, replay), [width, replay]);
  return (
    <Overlay
      scope="help"
      width={width}
      height={height}
      rows={rows}
      title={[
        { text: 'Help', bold: true },
        { text: '  (? or Esc closes)', tone: 'muted' },
      ]}
    />
  );
}
