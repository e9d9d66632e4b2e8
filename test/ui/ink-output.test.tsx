// Ink's Output.get is patched (patches/ink+6.8.0.patch) to keep what it parsed and printed for
// one frame into the next: a row made of the same cells as last frame prints last frame's string.
// These frames check that a reused row is never stale: same letters in another style, rows moved,
// wide characters, a narrower terminal, and a state shown again printing exactly as before.
import { Box, Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import { afterEach, describe, expect, it } from 'vitest';
import { settle } from './render.js';

const RED = (text: string) => `\x1b[31m${text}\x1b[39m`;
const BOLD = (text: string) => `\x1b[1m${text}\x1b[22m`;

interface RowsProps {
  lines: readonly string[];
  width: number;
  indent?: number;
}

function Rows({ lines, width, indent = 0 }: RowsProps) {
  return (
    <Box flexDirection="column" width={width} paddingLeft={indent} overflow="hidden">
      {lines.map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}

afterEach(cleanup);

describe('the patched Ink output (rows reused across frames)', () => {
  it('prints every frame as its own state, whatever the frame before', async () => {
    const first = [RED('alpha one'), 'beta two', '宽字 three', BOLD('delta')];
    const states: RowsProps[] = [
      { lines: first, width: 30 },
      // The same letters, another style: the row's text is equal once stripped, its cells not.
      { lines: ['alpha one', 'beta two', '宽字 three', 'delta'], width: 30 },
      // Rows moved up by one, one row gone.
      { lines: ['beta two', '宽字 three', BOLD('delta')], width: 30 },
      // Narrower: every row cut.
      { lines: first, width: 6 },
      // The same lines two columns further right.
      { lines: first, width: 30, indent: 2 },
      { lines: first, width: 30 },
    ];
    const view = render(<Rows {...(states[0] as RowsProps)} />);
    await settle();
    const frames: string[] = [];
    for (const state of states) {
      view.rerender(<Rows {...state} />);
      await settle();
      frames.push(view.lastFrame() ?? '');
    }

    expect(frames[0]).toContain(RED('alpha one'));
    expect(frames[1]).not.toContain('\x1b[31m');
    expect(frames[1]).not.toContain('\x1b[1m');
    expect(stripAnsi(frames[1] as string)).toBe(stripAnsi(frames[0] as string));
    expect(stripAnsi(frames[2] as string).split('\n')).toEqual(['beta two', '宽字 three', 'delta']);
    expect(frames[2]).toContain(BOLD('delta'));
    expect(stripAnsi(frames[3] as string).split('\n')).toEqual([
      'alpha…',
      'beta …',
      '宽字 …',
      'delta',
    ]);
    expect(stripAnsi(frames[4] as string).split('\n')).toEqual(
      stripAnsi(frames[0] as string)
        .split('\n')
        .map((line) => `  ${line}`),
    );
    // The first state again, after four other frames: byte for byte what it was.
    expect(frames[5]).toBe(frames[0]);
  });

  it('shows a row that changed while the others stay, over many frames', async () => {
    const lines = (n: number) => [BOLD('header'), `count ${n}`, RED('footer')];
    const view = render(<Rows lines={lines(0)} width={20} />);
    await settle();
    for (let n = 1; n <= 30; n++) {
      view.rerender(<Rows lines={lines(n)} width={20} />);
      await settle();
      const frame = view.lastFrame() ?? '';
      expect(stripAnsi(frame).split('\n')).toEqual(['header', `count ${n}`, 'footer']);
      expect(frame).toContain(BOLD('header'));
      expect(frame).toContain(RED('footer'));
    }
  });
});
