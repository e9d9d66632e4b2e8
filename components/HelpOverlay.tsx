import { Box } from 'ink';
import { KEYMAP } from './keymap.js';
import { Line } from './Line.js';
import { padEnd, type Segment } from './segments.js';
import { useKeymap } from './useKeymap.js';

const ROWS: Segment[][] = [
  [
    { text: 'Keys', bold: true },
    { text: '  (? or Esc closes)', tone: 'muted' },
  ],
  ...KEYMAP.map((binding): Segment[] => [
    { text: `  ${padEnd(binding.label, 11)}`, bold: true, tone: 'accent' },
    { text: binding.description },
  ]),
  [],
  [{ text: 'Glyphs', bold: true }],
  [{ text: '  ● healthy  ⚠ byzantine  ✖ crashed  ◔ slow   > selected agent' }],
  [
    {
      text: '  tally: # accept  x reject  . absent  | quorum    rounds: ✓ committed  ✗ unsafe  · none',
    },
  ],
];

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  useKeymap('help', true);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {ROWS.slice(0, height).map((segments, index) => (
        <Line key={index} segments={segments} width={width} />
      ))}
    </Box>
  );
}
