import { Box } from 'ink';
import { useEffect } from 'react';
import { plural } from '../src/core/plural.js';
import type { DashboardState } from '../src/store/store.js';
import { useActions, useDashboard } from './context.js';
import type { KeyScope } from './keymap.js';
import { Line } from './Line.js';
import type { Segment } from './segments.js';
import { useKeymap } from './useKeymap.js';

const selectScroll = (state: DashboardState) => state.ui.overlayScroll;

interface OverlayProps {
  scope: Exclude<KeyScope, 'main'>;
  title: Segment[];
  rows: readonly Segment[][];
  width: number;
  height: number;
}

/**
 * A full-body overlay that fits any height: a title, a window of its rows, and a footer that
 * says where the window is. j/k and PgUp/PgDn scroll it (the overlay's key scope).
 */
export function Overlay({ scope, title, rows, width, height }: OverlayProps) {
  useKeymap(scope, true);
  const actions = useActions();
  const scroll = useDashboard(selectScroll);
  const page = Math.max(1, height - 2);
  const max = Math.max(0, rows.length - page);
  useEffect(() => {
    actions.setOverlayBounds(page, max);
  }, [actions, page, max]);
  const start = Math.min(scroll, max);
  const shown = rows.slice(start, start + page);
  const end = start + shown.length;
  const footer: Segment[] = [
    {
      text:
        rows.length > page
          ? `lines ${start + 1}-${end} of ${rows.length}${end >= rows.length ? ' (end)' : ''}  j/k PgUp/PgDn scroll`
          : plural(rows.length, 'line'),
      tone: 'muted',
    },
    { text: '  Esc closes', tone: 'muted' },
  ];
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Line segments={title} width={width} />
      {shown.map((segments, index) => (
        <Line key={start + index} segments={segments} width={width} />
      ))}
      {Array.from({ length: page - shown.length }, (_, index) => (
        <Line key={`pad${index}`} segments={[]} width={width} />
      ))}
      <Line segments={footer} width={width} />
    </Box>
  );
}
