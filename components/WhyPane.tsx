import { Box } from 'ink';
import { useMemo } from 'react';
import type { DashboardState } from '../src/store/store.js';
import { useDashboard } from './context.js';
import { Line } from './Line.js';
import { Overlay } from './Overlay.js';
import { useRoundView } from './roundView.js';
import { wrapText, type Segment } from './segments.js';
import { whyParagraphs } from './why.js';

const selectAgents = (state: DashboardState) => state.agents;

/** The explanation wrapped to a width: never cut, only wrapped. */
function useWhyRows(width: number): Segment[][] {
  const agents = useDashboard(selectAgents);
  const view = useRoundView();
  return useMemo(() => {
    const [title = '', ...body] = whyParagraphs(view, agents);
    return [
      ...wrapText(title, width).map((text): Segment[] => [{ text, bold: true }]),
      ...body.flatMap((paragraph) =>
        wrapText(paragraph, Math.max(1, width - 2)).map((text, index): Segment[] => [
          { text: `${index === 0 ? '' : '  '}${text}` },
        ]),
      ),
    ];
  }, [view, agents, width]);
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
