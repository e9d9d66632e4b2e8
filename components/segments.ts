// Every string a pane prints goes through fitSegments: control sequences stripped (model text is
// untrusted) and the line cut to the pane's width, so nothing can wrap into a neighbour's rows.
import wrapAnsi from 'wrap-ansi';
import { stripControl } from '../src/agents/sanitize.js';
import { Memo } from '../src/runtime/memo.js';
import type { Tone } from './theme.js';

export interface TextSegment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
  dim?: boolean;
  /**
   * Shown whole or not at all: a narrow line drops it, and what follows it, instead of cutting it
   * ("ca…" said nothing a reader could use).
   */
  whole?: boolean;
}

/** A slot that shows an ink-spinner (each one runs its own timer: use sparingly). */
export interface SpinnerSegment {
  spinner: true;
  type: 'dots' | 'simpleDots';
  /** Columns the spinner's frames take. */
  width: number;
}

export type Segment = TextSegment | SpinnerSegment;

export function isSpinner(segment: Segment): segment is SpinnerSegment {
  return 'spinner' in segment;
}

export function clean(text: string): string {
  return stripControl(text).replace(/[\r\n\t\f\v]/g, ' ');
}

export function segmentsWidth(segments: readonly Segment[]): number {
  let width = 0;
  for (const segment of segments)
    width += isSpinner(segment) ? segment.width : [...segment.text].length;
  return width;
}

export function fitSegments(segments: readonly Segment[], width: number): Segment[] {
  const fitted: Segment[] = [];
  let left = Math.max(0, width);
  for (const segment of segments) {
    if (left <= 0) break;
    if (isSpinner(segment)) {
      if (segment.width > left) break;
      fitted.push(segment);
      left -= segment.width;
      continue;
    }
    const chars = [...clean(segment.text)];
    if (segment.whole && chars.length > left) break;
    if (chars.length <= left) {
      fitted.push({ ...segment, text: chars.join('') });
      left -= chars.length;
    } else {
      fitted.push({ ...segment, text: `${chars.slice(0, Math.max(0, left - 1)).join('')}…` });
      left = 0;
    }
  }
  return fitted;
}

export function padEnd(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : text + ' '.repeat(width - length);
}

export function padStart(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : ' '.repeat(width - length) + text;
}

// wrap-ansi measures every character; panes re-render many times with mostly the same text (the
// why pane's paragraphs, finished log entries), so recent results are kept: what is still shown
// stays, the rest is dropped.
const wraps = new Memo<readonly string[]>(1000);

/** Wraps at word boundaries (a word longer than the line is cut), so streamed JSON stays legible. */
export function wrapText(text: string, width: number): readonly string[] {
  if (text === '') return [''];
  return wraps.get(`${width}|${text}`, () =>
    Object.freeze(wrapAnsi(text, Math.max(1, width), { hard: true }).split('\n')),
  );
}
