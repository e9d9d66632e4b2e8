import { Box } from 'ink';
import { useMemo } from 'react';
import type { DashboardState } from '../src/store/store.js';
import { useDashboard } from './context.js';
import { Line } from './Line.js';
import { Overlay } from './Overlay.js';
import { useRoundView } from './roundView.js';
import { wrapText, type Segment } from './segments.js';
import { whyParagraphs } from './why.js';

// Joins the paragraphs into one comparable string; shown text is sanitised, so never holds NUL.
const PARAGRAPH_BREAK = '\u0000';

const selectAgents = (state: DashboardState) => state.agents;

/** The explanation wrapped to a width: never cut, only wrapped. */
function useWhyRows(width: number): Segment[][] {
  const agents = useDashboard(selectAgents);
  const view = useRoundView();
  // The view changes with every flush while the explanation's text mostly does not: wrapping
  // (the costly part) is redone only when the text or the width changed.
  const text = useMemo(() => whyParagraphs(view, agents).join(PARAGRAPH_BREAK), [view, agents]);
  return useMemo(() => {
    const [title = '', ...body] = text.split(PARAGRAPH_BREAK);
    return [
      ...wrapText(title, width).map((line): Segment[] => [{ text: line, bold: true }]),
      ...body.flatMap((paragraph) =>
        wrapText(paragraph, Math.max(1, width - 2)).map((line, index): Segment[] => [
          { text: `${index === 0 ? '' : '  '}${line}` },
        ]),
      ),
    ];
  }, [text, width]);
}

/** Inline, under the tally: the explanation if it fits, else as much as fits and where the rest is. */
export function WhyPane({ width, height }: { width: number; height: number }) {
  const rows = useWhyRows(width);
  const fits = rows.length <= height;
  const shown = fits ? rows : [...rows.slice(0, Math.max(0, height - 1)), MORE];
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      {shown.slice(0, height).map((segments, index) => (
        <Line key={index} segments={segments} width={width} />
      ))}
    </Box>
  );
}

const MORE: Segment[] = [{ text: 'w: the whole explanation', tone: 'accent' }];

export function WhyOverlay({ width, height }: { width: number; height: number }) {
  const rows = useWhyRows(width);
  return (
    <Overlay
      scope="why"
      width={width}
      height={height}
      rows={rows.slice(1)}
      title={rows[0] ?? [{ text: 'Why', bold: true }]}
    />
  );
}
