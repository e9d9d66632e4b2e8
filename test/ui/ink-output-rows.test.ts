// Ink's Output is patched (patches/ink+6.8.0.patch) to join a row's writes as strings, each line
// printed as itself when that is safe, instead of laying every cell out and printing it again.
// Whatever the lines, every row must show the same characters in the same styles, column by
// column, as Ink's own cell-by-cell layout (reproduced here from Ink 6.8's Output.get).
import {
  styledCharsFromTokens,
  styledCharsToString,
  tokenize,
  type StyledChar,
} from '@alcalzone/ansi-tokenize';
import fc from 'fast-check';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import Output from '../../node_modules/ink/build/output.js';

const WIDTH = 40;

interface Clip {
  x1: number;
  x2: number;
}

/** Ink 6.8's horizontal clipping of one write: skipped when outside, else each line sliced. */
function clipWrite(x: number, line: string, clip: Clip | null): [number, string] | null {
  if (clip === null) return [x, line];
  const width = stringWidth(line);
  if (x + width < clip.x1 || x > clip.x2) return null;
  const from = x < clip.x1 ? clip.x1 - x : 0;
  const to = x + width > clip.x2 ? clip.x2 - x : width;
  return [Math.max(x, clip.x1), sliceAnsi(line, from, to)];
}

/** A row as unpatched Ink prints it: blank cells, each write's characters over them, trimmed. */
function inkRow(writes: readonly (readonly [number, string])[], clip: Clip | null = null): string {
  const cells: StyledChar[] = [];
  for (let x = 0; x < WIDTH; x++)
    cells.push({ type: 'char', value: ' ', fullWidth: false, styles: [] });
  for (const write of writes) {
    const clipped = clipWrite(write[0], write[1], clip);
    if (clipped === null) continue;
    const [x, line] = clipped;
    let offset = x;
    for (const character of styledCharsFromTokens(tokenize(line))) {
      cells[offset] = character;
      const width = Math.max(1, stringWidth(character.value));
      for (let i = 1; i < width; i++) cells[offset + i] = { ...character, value: '' };
      offset += width;
    }
  }
  return styledCharsToString(cells.filter((cell) => cell !== undefined)).trimEnd();
}

function patchedRow(
  writes: readonly (readonly [number, string])[],
  clip: Clip | null = null,
): string {
  const output = new Output({ width: WIDTH, height: 1 });
  if (clip) output.clip({ ...clip, y1: undefined, y2: undefined });
  for (const [x, line] of writes) output.write(x, 0, line, { transformers: [] });
  if (clip) output.unclip();
  return output.get().output;
}

/** What a terminal shows: each character with the set of styles it is drawn in. */
function cells(row: string): string[] {
  return styledCharsFromTokens(tokenize(row)).map(
    (c) =>
      `${c.value}|${c.styles
        .map((s) => s.code)
        .sort()
        .join(',')}`,
  );
}

const STYLES: readonly (readonly [string, string])[] = [
  ['\x1b[31m', '\x1b[39m'],
  ['\x1b[92m', '\x1b[39m'],
  ['\x1b[38;5;208m', '\x1b[39m'],
  ['\x1b[38;2;10;20;30m', '\x1b[39m'],
  ['\x1b[44m', '\x1b[49m'],
  ['\x1b[1m', '\x1b[22m'],
  ['\x1b[2m', '\x1b[22m'],
  ['\x1b[7m', '\x1b[27m'],
  ['\x1b[4m', '\x1b[24m'],
];

// Plain ASCII, the dashboard's glyphs, wide characters, and what must not take the short cut:
// combining marks, emoji sequences, variation selectors.
const PIECES = [
  'abc',
  ' ',
  'n3 ',
  '…',
  '●',
  '▶',
  '⠹',
  '│',
  '▂▅█',
  '✓',
  '✗',
  '·',
  'é',
  '宽字',
  'e\u0301',
  '✅',
  '⚠\uFE0F',
  '👩‍💻',
  '\u00ad',
];

const segment = fc
  .tuple(
    fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }),
    fc.option(fc.constantFrom(...STYLES), { nil: null }),
    fc.option(fc.constantFrom(...STYLES), { nil: null }),
    // Now and then a style left open at the end of the line, or a reset instead of a close.
    fc.constantFrom('close', 'close', 'close', 'open', 'reset'),
  )
  .map(([pieces, outer, maybeInner, ending]) => {
    const text = pieces.join('');
    // Bold inside dim (or the reverse, or after one left open) is left out: Ink's own printer
    // drops the outer one after the inner one closes (its style diff emits 22 and never re-opens
    // it), where the patched row prints the line as written, which is what a terminal shows.
    const intensity = (style: readonly [string, string] | null) => style?.[1] === '\x1b[22m';
    const inner = intensity(outer) && intensity(maybeInner) ? null : maybeInner;
    const styled = inner ? `${inner[0]}${text}${inner[1]}` : text;
    if (!outer) return styled;
    if (ending === 'open' && !intensity(outer)) return `${outer[0]}${styled}`;
    if (ending === 'reset') return `${outer[0]}${styled}\x1b[0m`;
    return `${outer[0]}${styled}${outer[1]}`;
  });

const line = fc.array(segment, { minLength: 0, maxLength: 3 }).map((parts) => parts.join(''));

describe('the patched Ink output (rows joined as strings)', () => {
  it('shows every row cell for cell as Ink lays it out, side by side or overlapping', () => {
    const writes = fc.array(fc.tuple(fc.integer({ min: 0, max: WIDTH - 1 }), line), {
      minLength: 0,
      maxLength: 4,
    });
    fc.assert(
      fc.property(writes, (row) => {
        expect(cells(patchedRow(row))).toEqual(cells(inkRow(row)));
      }),
      { numRuns: 300 },
    );
  });

  it('clips a write to its box as Ink does (widths measured the short way agree)', () => {
    const writes = fc.array(fc.tuple(fc.integer({ min: 0, max: WIDTH - 1 }), line), {
      minLength: 1,
      maxLength: 3,
    });
    const clip = fc
      .tuple(fc.integer({ min: 0, max: WIDTH }), fc.integer({ min: 0, max: WIDTH }))
      .map(([a, b]): Clip => ({ x1: Math.min(a, b), x2: Math.max(a, b) }));
    fc.assert(
      fc.property(writes, clip, (row, box) => {
        expect(cells(patchedRow(row, box))).toEqual(cells(inkRow(row, box)));
      }),
      { numRuns: 300 },
    );
  });

  it('prints panes side by side (the dashboard: left pane, border, log) as Ink does', () => {
    const left = `\x1b[1m\x1b[36mAgents\x1b[39m\x1b[22m  health [\x1b[32m####\x1b[39m] 5/5`;
    const border = '\x1b[90m│\x1b[39m';
    const log = `\x1b[1mBeta-Memory\x1b[22m\x1b[36m  VOTE\x1b[39m  ⠹ 宽 …`;
    const row: [number, string][] = [
      [0, left],
      [26, border],
      [28, log],
    ];
    expect(cells(patchedRow(row))).toEqual(cells(inkRow(row)));
    expect(patchedRow(row)).toContain(log);
  });
});
